"""German texts of the library's messages: validation problems, parser and
pydantic errors, and the engine's refusals.

The library composes its messages in English (the command line's default,
and what tests and editors match on). A German page or `--lang de` passes a
message through `translate`: a catalogue keyed by the English template of
each phrase. Templates are fragments (a message such as "unknown asset 'x';
did you mean 'y'?" is two of them), so composed messages translate piece by
piece. Quoted values in a message are data from a file or a request (ids,
names, file names): they are set aside before translating and put back
unchanged, so a value never gets translated and a template never matches
inside one.

Placeholders in templates: {q…} a quoted value, {l…} a list of them
separated by commas, {n…} a number, {w…} a word
(an id, a kind, a duration such as 1d12h), {x…} any text up to what follows
it, {rest} the rest of the message.
"""

from __future__ import annotations

import functools
import re

# English template -> German. Order matters: a more specific template comes
# before a general one that would also match ("unknown asset" before "unknown").
GERMAN: dict[str, str] = {
    # --- BIA workbooks (readwrite/bia_read.py); before the general "unknown {w} {q}" ---
    "formula in cell; paste values": "Formel in der Zelle; Werte einfügen",
    "merged cells {x}; unmerge them (a merged cell holds one value for several)": (
        "verbundene Zellen {x}; Verbund aufheben (eine verbundene Zelle hält einen Wert für "
        "mehrere)"
    ),
    "unknown kind {q}": "unbekannte Art {q}",
    "unknown utility {q}": "unbekannte Versorgungsart {q}",
    "unknown dependency type {q}": "unbekannte Art der Abhängigkeit {q}",
    "unknown mode {q}": "unbekannter Modus {q}",
    "unknown distribution {q}": "unbekannte Verteilung {q}",
    "unknown process {q}": "unbekannter Prozess {q}",
    "unknown column {q}": "unbekannte Spalte {q}",
    " (a column to keep but not import: start its header with {q})": (
        " (eine Spalte, die bleiben, aber nicht eingelesen werden soll: Überschrift mit {q} "
        "beginnen)"
    ),
    "unknown sheet {q}": "unbekanntes Blatt {q}",
    "missing column {q}": "Spalte {q} fehlt",
    "column {q} given twice (first at {x})": "Spalte {q} doppelt (zuerst bei {x})",
    " (first at {x})": " (zuerst bei {x})",
    "missing sheet {q} (or {q2})": "Blatt {q} (oder {q2}) fehlt",
    "; found: {rest}": "; vorhanden: {rest}",
    "sheet {q} given twice (also {q2})": "Blatt {q} doppelt (auch {q2})",
    "empty sheet: no header row": "leeres Blatt: keine Überschriftenzeile",
    "a value in a column without a header": "ein Wert in einer Spalte ohne Überschrift",
    "more than {n} characters": "mehr als {n} Zeichen",
    "more than {n} rows": "mehr als {n} Zeilen",
    "more than {n} columns": "mehr als {n} Spalten",
    "more than {n} CSV files": "mehr als {n} CSV-Dateien",
    "unpacks to {n} MB, more than {n2} MB": "entpackt {n} MB groß, mehr als {n2} MB",
    "not an XLSX workbook (save it as .xlsx, or as CSV files in a folder)": (
        "keine XLSX-Arbeitsmappe (als .xlsx speichern oder als CSV-Dateien in einem Ordner)"
    ),
    "not an XLSX workbook: more than {n} parts": "keine XLSX-Arbeitsmappe: mehr als {n} Teile",
    "cannot read the workbook: {w}": "Arbeitsmappe nicht lesbar: {w}",
    "not a CSV file: {rest}": "keine CSV-Datei: {rest}",
    "true/false in this cell; write the value as text": (
        "wahr/falsch in der Zelle; den Wert als Text schreiben"
    ),
    "a date in this cell; format the cell as text and write the value": (
        "ein Datum in der Zelle; Zelle als Text formatieren und den Wert schreiben"
    ),
    "a time in this cell; format the cell as text and write the value": (
        "eine Uhrzeit in der Zelle; Zelle als Text formatieren und den Wert schreiben"
    ),
    "a number with decimals in this cell; format the cell as text and write the value": (
        "eine Zahl mit Nachkommastellen in der Zelle; Zelle als Text formatieren und den "
        "Wert schreiben"
    ),
    "differs from the first row of need {q} ({x}): rows of one need share it": (
        "weicht von der ersten Zeile des Bedarfs {q} ab ({x}): Zeilen eines Bedarfs teilen "
        "diesen Wert"
    ),
    "k is only for the mode k of n": "k gilt nur für den Modus k von n",
    "a share is only for the modes any and k of n": (
        "ein Anteil gilt nur für die Modi eine von und k von n"
    ),
    "give {q} or the texts per language, not both": (
        "{q} oder die Texte je Sprache angeben, nicht beides"
    ),
    "only for a distribution with {w} (set the distribution: triangular, uniform, "
    "lognormal)": (
        "nur für eine Verteilung mit {w} (Verteilung angeben: Dreieck, gleichverteilt, "
        "lognormal)"
    ),
    "a uniform distribution takes min and max only": (
        "eine Gleichverteilung hat nur min und max"
    ),
    "no company row": "keine Zeile für das Unternehmen",
    "one row only: the company (this is a second one)": (
        "nur eine Zeile: das Unternehmen (dies ist eine zweite)"
    ),
    "duplicate team id {q}": "doppelte Team-ID {q}",
    "not UTF-8 text (byte 0x{w}); save it as {q}": (
        "kein UTF-8-Text (Byte 0x{w}); als {q} speichern"
    ),
    "give --out FILE.xlsx or --csv DIR": "--out DATEI.xlsx oder --csv ORDNER angeben",
    # --- cross references (validation.py) ----------------------------------------
    "unknown team {q}: the company defines no teams": (
        "unbekanntes Team {q}: das Unternehmen hat keine Teams"
    ),
    "unknown asset {q}": "unbekannte Ressource {q}",
    "unknown team {q}": "unbekanntes Team {q}",
    "unknown inject {q}": "unbekannte Einlage {q}",
    "unknown need {q} of asset {q2}": "unbekannter Bedarf {q} der Ressource {q2}",
    " (its needs: none)": " (sie hat keine Bedarfe)",
    " (its needs: {x})": " (ihre Bedarfe: {x})",
    "; did you mean {q}?": "; meinten Sie {q}?",
    "duplicate asset id {q}": "doppelte Ressourcen-ID {q}",
    "duplicate need id {q}": "doppelte Bedarfs-ID {q}",
    "duplicate buffer id {q}": "doppelte Puffer-ID {q}",
    "duplicate inject id {q}": "doppelte Einlage-ID {q}",
    "duplicate hazard id {q}": "doppelte ID eines Schadensereignisses {q}",
    "duplicate action id {q}": "doppelte Maßnahmen-ID {q}",
    "duplicate objective id {q}": "doppelte Übungsziel-ID {q}",
    "a {w} objective needs {q}": "ein Übungsziel mit der Prüfung {w} braucht {q}",
    " in asset {q}": " in Ressource {q}",
    "(first at {w})": "(zuerst bei {w})",
    " (a need without an id is called {q})": " (ein Bedarf ohne id heißt {q})",
    "location {q} is a {w} asset, not a site": (
        "Standort {q} ist eine Ressource der Art {w}, kein Standort (site)"
    ),
    "trust domains are only for IT assets ({x}), not {w}: a cyberattack reaches {w2} "
    "through the IT it needs": (
        "Vertrauensbereiche (trust) gibt es nur für IT-Ressourcen ({x}), nicht für {w}: "
        "ein Cyberangriff erreicht {w2} über die IT, die sie braucht"
    ),
    "a ransomware entry must be an IT asset ({x}), not {w}": (
        "der Einstieg (entry) einer Ransomware muss eine IT-Ressource sein ({x}), nicht {w}"
    ),
    "an outage strikes a resource (any kind but business_process: a process fails "
    "through its needs), not {w}": (
        "ein Ausfall trifft eine Ressource (jede Art außer business_process: ein Prozess fällt "
        "über seine Bedarfe aus), nicht {w}"
    ),
    "a power failure cuts power feeds (utility assets with utility: power), not a {w} "
    "utility": (
        "ein Stromausfall trennt Stromeinspeisungen (Ressourcen der Art utility mit utility: "
        "power), nicht eine Versorgung der Art {w}"
    ),
    "a power failure cuts power feeds (utility assets with utility: power), not {w}": (
        "ein Stromausfall trennt Stromeinspeisungen (Ressourcen der Art utility mit utility: "
        "power), nicht {w}"
    ),
    "a supply break hits suppliers and transport links (supplier or logistics), not {w}": (
        "ein Lieferausfall trifft Lieferanten und Transportwege (supplier oder logistics), "
        "nicht {w}"
    ),
    "a staff absence thins staff pools (kind staff), not {w}": (
        "ein Personalausfall dünnt Personalbestände aus (Art staff), nicht {w}"
    ),
    "asset {q} cannot require itself to restore": (
        "Ressource {q} kann nicht sich selbst zur Wiederherstellung voraussetzen"
    ),
    "{w} distribution needs ": "{w}-Verteilung braucht ",
    "a lognormal distribution has no upper bound; give a fixed value, a triangular or a "
    "uniform distribution between {n} and {n2}": (
        "eine Lognormalverteilung ist nach oben unbeschränkt; bitte einen festen Wert, eine "
        "Dreiecks- oder Gleichverteilung zwischen {n} und {n2} angeben"
    ),
    "must lie between {n} and {n2}": "muss zwischen {n} und {n2} liegen",
    "must be at least {n}": "muss mindestens {n} sein",
    "bia is only for business_process assets, not {w}": (
        "eine bia gibt es nur für Geschäftsprozesse (business_process), nicht für {w}"
    ),
    "a business_process needs a bia (at least rto and mtpd)": (
        "ein Geschäftsprozess (business_process) braucht eine bia (mindestens rto und mtpd)"
    ),
    "a workaround is only for business_process assets, not {w}": (
        "eine Ersatzlösung (workaround) gibt es nur für Geschäftsprozesse, nicht für {w}"
    ),
    "initial {w} exceeds the capacity {w2}": "Anfangsbestand {w} übersteigt die Kapazität {w2}",
    "amount {w} exceeds the buffer capacity {w2}": (
        "Liefermenge {w} übersteigt die Pufferkapazität {w2}"
    ),
    "asset {q} depends on itself": "Ressource {q} hängt von sich selbst ab",
    "asset {q} is listed twice in this need": "Ressource {q} steht zweimal in diesem Bedarf",
    "k is {n} but the group has only {n2} members": (
        "k ist {n}, aber die Gruppe hat nur {n2} Mitglieder"
    ),
    "k is {n} but the group has only {n2} member": (
        "k ist {n}, aber die Gruppe hat nur {n2} Mitglied"
    ),
    "the shares add up to {n}, less than the {n2} this need asks for: it would never be "
    "fully met": (
        "die Anteile ergeben zusammen {n}, weniger als die {n2}, die dieser Bedarf verlangt: "
        "er wäre nie voll gedeckt"
    ),
    "instant dependency cycle: ": "Abhängigkeitszyklus ohne Verzögerung: ",
    " (each needs the next with no delay or buffer on any link)": (
        " (jede braucht die nächste, ohne Verzögerung oder Puffer auf irgendeiner Verbindung)"
    ),
    "{w} is after the end of the scenario (horizon {w2})": (
        "{w} liegt nach dem Ende des Szenarios (Horizont {w2})"
    ),
    # --- triggers and their conditions (validation.py, engine) ------------------------
    "{q} is a {w} asset, not a business_process with a bia": (
        "{q} ist eine Ressource der Art {w}, kein Geschäftsprozess (business_process) mit bia"
    ),
    "capacity below {n} can never be true: give a share above 0 and at most 1": (
        "Kapazität unter {n} kann nie zutreffen: bitte einen Anteil über 0 und höchstens 1 angeben"
    ),
    "unknown action {q}": "unbekannte Maßnahme {q}",
    "unknown objective {q}": "unbekanntes Übungsziel {q}",
    ": the scenario lists no actions": ": das Szenario hat keine Maßnahmen",
    "the RTO of {q} ({w}) is not shorter than the scenario ({w2}): it can never be breached": (
        "die WAZ (RTO) von {q} ({w}) ist nicht kürzer als das Szenario ({w2}): "
        "sie kann nie überschritten werden"
    ),
    "the MTPD of {q} ({w}) is not shorter than the scenario ({w2}): it can never be breached": (
        "die MTA (MTPD) von {q} ({w}) ist nicht kürzer als das Szenario ({w2}): "
        "sie kann nie überschritten werden"
    ),
    "the MBCO of {q} is 0: it can never be below it": (
        "das Notbetriebsniveau (MBCO) von {q} ist 0: der Prozess kann nie darunter liegen"
    ),
    "{q} stands on no data asset: it can lose no data": (
        "{q} hängt von keiner Daten-Ressource ab: es können keine Daten verloren gehen"
    ),
    "the amount must be more than 0 EUR": "der Betrag muss größer als 0 EUR sein",
    "{q} can cause at most {n} EUR of impact in {w}: {n2} EUR is never reached": (
        "{q} kann in {w} höchstens {n} EUR Schaden verursachen: {n2} EUR werden nie erreicht"
    ),
    "asset {q} has no buffer {q2}": "Ressource {q} hat keinen Puffer {q2}",
    " (its buffers: none)": " (sie hat keine Puffer)",
    " (its buffers: {l})": " (ihre Puffer: {l})",
    "{w} is not below the capacity {w2} of buffer {q}: the condition would hold from the start": (
        "{w} liegt nicht unter der Kapazität {w2} des Puffers {q}: "
        "die Bedingung träfe von Anfang an zu"
    ),
    "hazard {q} is of type {w}: only a ransomware is detected": (
        "Schadensereignis {q} ist vom Typ {w}: nur eine Ransomware wird entdeckt (detected)"
    ),
    "hazard {q} is of type {w}: only a flood has a peak": (
        "Schadensereignis {q} ist vom Typ {w}: nur ein Hochwasser hat einen Scheitel (peak)"
    ),
    "hazard {q} is of type {w}: only a flood has alarm levels": (
        "Schadensereignis {q} ist vom Typ {w}: nur ein Hochwasser hat Alarmstufen"
    ),
    "flood {q} has no alarm level {q2}": "Hochwasser {q} hat keine Alarmstufe {q2}",
    " (its levels: none)": " (es hat keine Alarmstufen)",
    " (its levels: {l})": " (seine Alarmstufen: {l})",
    "duplicate trigger id {q}": "doppelte Auslöser-ID {q}",
    "a condition needs one of the keys asset, process, buffer, action, hazard, after, all, "
    "any, not": (
        "eine Bedingung braucht einen der Schlüssel asset, process, buffer, action, hazard, "
        "after, all, any, not"
    ),
    "min_interval is for repeating triggers (once: false)": (
        "min_interval gibt es nur für wiederholte Auslöser (once: false)"
    ),
    "a repeating trigger (once: false) needs a min_interval of 1s or more": (
        "ein wiederholter Auslöser (once: false) braucht ein min_interval von mindestens 1s"
    ),
    # before the general "no action {q} in the scenario":
    "no action {q} in the scenario's catalogue (its actions: {x})": (
        "keine Maßnahme {q} im Katalog des Szenarios (seine Maßnahmen: {x})"
    ),
    "no action {q} in the scenario": "keine Maßnahme {q} im Szenario",
    "no trigger {q} in the scenario": "kein Auslöser {q} im Szenario",
    "{q} is a {w} asset, not a business_process": (
        "{q} ist eine Ressource der Art {w}, kein Geschäftsprozess (business_process)"
    ),
    "asset {q} has no standby to activate": (
        "Ressource {q} hat keine Bereitschaft (standby), die sich aktivieren ließe"
    ),
    "asset {q} has no standby to deactivate": (
        "Ressource {q} hat keine Bereitschaft (standby), die sich deaktivieren ließe"
    ),
    "asset {q} has no workaround": "Ressource {q} hat keine Ersatzlösung (workaround)",
    "no hazard with id {q} in this scenario": "kein Schadensereignis mit id {q} in diesem Szenario",
    # --- files (io.py) --------------------------------------------------------------
    "not UTF-8 text (byte 0x{w}); save it as UTF-8": (
        "kein UTF-8-Text (Byte 0x{w}); bitte als UTF-8 speichern"
    ),
    "expected a mapping of keys at the top level, found a {w}": (
        "auf oberster Ebene wird eine Zuordnung von Schlüsseln erwartet, gefunden: {w}"
    ),
    "cannot read company file {q}: ": "Unternehmensdatei {q} nicht lesbar: ",
    "No such file or directory": "Datei oder Verzeichnis nicht gefunden",
    "Is a directory": "ist ein Verzeichnis",
    "Permission denied": "keine Leseberechtigung",
    "empty file": "leere Datei",
    "duplicate key {q} (first on line {n}); YAML would keep only the last": (
        "doppelter Schlüssel {q} (zuerst in Zeile {n}); YAML behielte nur den letzten"
    ),
    "duplicate key {q}; YAML would keep only the last": (
        "doppelter Schlüssel {q}; YAML behielte nur den letzten"
    ),
    "nested too deeply (more than 255 levels of lists and mappings)": (
        "zu tief verschachtelt (mehr als 255 Ebenen von Listen und Zuordnungen)"
    ),
    "name the uploaded company file (a file name without folders)": (
        "bitte die hochgeladene Unternehmensdatei nennen (ein Dateiname ohne Ordner)"
    ),
    "internal error (please report)": "interner Fehler (bitte melden)",
    "the request body is larger than {rest}": "die Anfrage ist größer als {rest}",
    "cannot read: ": "nicht lesbar: ",
    "not a regular file (a folder)": "keine gewöhnliche Datei (ein Ordner)",
    "not a regular file (a device, pipe or socket)": (
        "keine gewöhnliche Datei (ein Gerät, eine Pipe oder ein Socket)"
    ),
    "larger than {n} MB": "größer als {n} MB",
    # uploads checked in a child process (web/loading.py) and bounded bodies
    "upload the company file too, or name a bundled company (none available)": (
        "bitte auch die Unternehmensdatei hochladen oder ein mitgeliefertes Unternehmen "
        "nennen (keines vorhanden)"
    ),
    "upload the company file too, or name a bundled company ({x})": (
        "bitte auch die Unternehmensdatei hochladen oder ein mitgeliefertes Unternehmen "
        "nennen ({x})"
    ),
    "needs more than {n} MB to check": "braucht zum Prüfen mehr als {n} MB",
    "nested too deeply to check": "zu tief verschachtelt zum Prüfen",
    "cannot be checked ({w})": "kann nicht geprüft werden ({w})",
    "took longer than {n} s to check": "die Prüfung dauerte länger als {n} s",
    "(top level)": "(oberste Ebene)",
    "missing required field": "Pflichtfeld fehlt",
    "unknown field": "unbekanntes Feld",
    " (expected one of: {rest}": " (erwartet wird eines von: {rest}",
    "unknown {w} {q}": "unbekannter Wert für {w}: {q}",
    # YAML (PyYAML's problem and context texts)
    "invalid YAML": "ungültiges YAML",
    "did not find expected {q} or {q2}": "erwartetes {q} oder {q2} nicht gefunden",
    "could not find expected {q}": "erwartetes {q} nicht gefunden",
    "did not find expected {q} indicator": "erwartetes {q} nicht gefunden",
    "did not find expected key": "erwarteter Schlüssel nicht gefunden",
    "did not find expected node content": "erwarteter Inhalt nicht gefunden",
    "did not find expected alphabetic or numeric character": (
        "erwarteter Buchstabe oder Ziffer nicht gefunden"
    ),
    "mapping values are not allowed here": "hier ist kein „Schlüssel: Wert“ erlaubt",
    "found character {q} that cannot start any token": "Zeichen {q} ist hier nicht erlaubt",
    "found undefined alias {q}": "unbekannter Anker {q}",
    "found unexpected end of stream": "unerwartetes Dateiende",
    "found unknown escape character {q}": "unbekanntes Escape-Zeichen {q}",
    "found unacceptable character #x{w}: special characters are not allowed": (
        "unzulässiges Zeichen #x{w}: Steuerzeichen sind nicht erlaubt"
    ),
    "expected {x}, but found {rest}": "erwartet {x}, gefunden {rest}",
    "while parsing a flow sequence": "beim Lesen einer Liste in [ ]",
    "while parsing a flow mapping": "beim Lesen einer Zuordnung in { }",
    "while parsing a block mapping": "beim Lesen einer Zuordnung",
    "while parsing a block collection": "beim Lesen einer Liste",
    "while parsing a flow node": "beim Lesen eines Werts",
    "while parsing a block node": "beim Lesen eines Werts",
    "while scanning a simple key": "beim Lesen eines Schlüssels",
    "while scanning a quoted scalar": "beim Lesen eines Texts in Anführungszeichen",
    "while scanning a block scalar": "beim Lesen eines Textblocks",
    "while scanning an alias": "beim Lesen eines Ankers",
    "while scanning an anchor": "beim Lesen eines Ankers",
    "while scanning for the next token": "beim Lesen",
    # libyaml's wording (the C loader's), where it differs from PyYAML's
    "mapping values are not allowed in this context": (
        "„Schlüssel: Wert“ ist an dieser Stelle nicht erlaubt (ein Text mit Doppelpunkt "
        "gehört in Anführungszeichen)"
    ),
    "block sequence entries are not allowed in this context": (
        "ein Listeneintrag („- “) ist an dieser Stelle nicht erlaubt"
    ),
    "found character that cannot start any token": (
        "ein Zeichen, mit dem hier nichts beginnen darf (etwa ein Tabulator, @ oder `)"
    ),
    "found undefined alias": "unbekannter Anker",
    "found unknown escape character": "unbekanntes Escape-Zeichen",
    "found undefined tag handle": "unbekanntes Tag-Kürzel",
    "found unknown directive name": "unbekannte Direktive",
    "found duplicate %YAML directive": "doppelte %YAML-Direktive",
    "found incompatible YAML document": "inkompatibles YAML-Dokument",
    "found unexpected document indicator": "unerwartete Dokumentmarke (--- oder ...)",
    "found duplicate anchor; first occurrence": "doppelter Anker; erstes Vorkommen",
    "second occurrence": "zweites Vorkommen",
    "found a tab character where an indentation space is expected": (
        "ein Tabulator, wo ein Leerzeichen zum Einrücken erwartet wird"
    ),
    "found a tab character that violates indentation": "ein Tabulator verletzt die Einrückung",
    "did not find expected <document start>": "erwarteter Dokumentbeginn (---) nicht gefunden",
    "did not find the expected {q}": "erwartetes {q} nicht gefunden",
    "did not find expected whitespace or line break": (
        "erwartetes Leerzeichen oder Zeilenende nicht gefunden"
    ),
    "did not find expected comment or line break": (
        "erwarteter Kommentar oder erwartetes Zeilenende nicht gefunden"
    ),
    "but found another document": "aber ein weiteres Dokument gefunden",
    "expected a single document in the stream": "erwartet wird nur ein Dokument in der Datei",
    "unacceptable character #x{w}: control characters are not allowed": (
        "unzulässiges Zeichen #x{w}: Steuerzeichen sind nicht erlaubt"
    ),
    "while parsing a quoted scalar": "beim Lesen eines Texts in Anführungszeichen",
    "while parsing a node": "beim Lesen eines Werts",
    "while scanning a plain scalar": "beim Lesen eines Werts",
    "while scanning a directive": "beim Lesen einer Direktive",
    "while scanning a tag": "beim Lesen eines Tags",
    "on line {n}": "in Zeile {n}",
    # JSON (the json module's texts)
    "Expecting value": "Wert erwartet",
    "Expecting {q} delimiter": "Trennzeichen {q} erwartet",
    "Expecting property name enclosed in double quotes": (
        "Feldname in doppelten Anführungszeichen erwartet"
    ),
    "Extra data": "überzähliger Inhalt nach dem Ende",
    "Unterminated string starting at": "nicht abgeschlossener Text ab",
    "Invalid control character at": "ungültiges Steuerzeichen bei",
    "Invalid \\uXXXX escape": "ungültiges \\uXXXX-Escape-Zeichen",
    "Invalid \\escape": "ungültiges Escape-Zeichen",
    "the body is not valid JSON": "der Inhalt ist kein gültiges JSON",
    # --- durations and schema rules ----------------------------------------------------
    "not a duration: {q}; write a number and a unit (s, min, h, d, w), e.g. {q2}": (
        "keine Dauer: {q}; bitte Zahl und Einheit angeben (Sek, Min, Std, Tage, Wochen "
        "oder s, min, h, d, w), z. B. {q2}"
    ),
    "a duration must be text such as {q}, not true/false": (
        "eine Dauer ist Text wie {q}, nicht true/false"
    ),
    "a duration must be text such as {q}, {q2} or {q3}": (
        "eine Dauer ist Text wie {q}, {q2} oder {q3}"
    ),
    "write a unit with the number {n}, e.g. {q} or {q2}": (
        "bitte eine Einheit zur Zahl {n} angeben, z. B. {q} oder {q2}"
    ),
    "a duration cannot be negative": "eine Dauer kann nicht negativ sein",
    "longer than the limit of 3650d (ten years)": (
        "länger als die Grenze von 3650 Tagen (zehn Jahre)"
    ),
    "give exactly one of ": "bitte genau eines angeben von ",
    " (found {x})": " (gefunden: {x})",
    "rto must not exceed mtpd (ISO 22301: the RTO lies within the MTPD)": (
        "rto darf mtpd nicht überschreiten (ISO 22301 / BSI 200-4: die WAZ liegt innerhalb der MTA)"
    ),
    "give impact_per_hour or an impact curve, not both": (
        "impact_per_hour oder eine Schadenskurve angeben, nicht beides"
    ),
    "give either duration or stages": "entweder duration oder stages angeben",
    # --- time zones (wallclock.py) -----------------------------------------------------
    "unknown time zone {q} (an IANA name such as {q2})": (
        "unbekannte Zeitzone {q} (ein IANA-Name wie {q2})"
    ),
    "{q} does not exist in {q2}: the clocks go forward that night "
    "(write a time after the change)": (
        "{q} gibt es in {q2} nicht: in dieser Nacht wird die Uhr vorgestellt "
        "(bitte eine Uhrzeit nach der Umstellung angeben)"
    ),
    "{q} happens twice in {q2}: the clocks go back that night "
    "(write the offset as well, {q3} or {q4})": (
        "{q} gibt es in {q2} zweimal: in dieser Nacht wird die Uhr zurückgestellt "
        "(bitte auch den UTC-Versatz angeben, {q3} oder {q4})"
    ),
    "offset {q} is not the offset of {q2} at that time ({q3}): write {q4}, "
    "or the time without an offset (it is then read in the time zone)": (
        "der UTC-Versatz {q} ist nicht der von {q2} zu dieser Zeit ({q3}): {q4} schreiben "
        "oder die Uhrzeit ohne Versatz (sie gilt dann in der Zeitzone)"
    ),
    # --- pydantic's own texts ------------------------------------------------------------
    "Value error, ": "",
    "Assertion failed, ": "",
    "Field required": "Pflichtfeld fehlt",
    "Extra inputs are not permitted": "unbekanntes Feld",
    "Input should be a valid integer, unable to parse string as an integer": (
        "muss eine ganze Zahl sein"
    ),
    "Input should be a valid integer, got a number with a fractional part": (
        "muss eine ganze Zahl sein (ohne Nachkommastellen)"
    ),
    "Input should be a valid integer": "muss eine ganze Zahl sein",
    "Input should be a valid number, unable to parse string as a number": "muss eine Zahl sein",
    "Input should be a valid number": "muss eine Zahl sein",
    "Input should be a finite number": "muss eine endliche Zahl sein",
    "Input should be a valid string": "muss Text sein",
    "Input should be a valid boolean": "muss true oder false sein",
    "Input should be a valid list": "muss eine Liste sein",
    "Input should be a valid dictionary or object to extract fields from": (
        "muss eine Zuordnung von Feldern sein"
    ),
    "Input should be a valid dictionary": "muss eine Zuordnung von Feldern sein",
    "Input should be a valid datetime or date, {rest}": "muss ein Datum mit Uhrzeit sein ({rest})",
    "Input should be a valid datetime, {rest}": "muss ein Datum mit Uhrzeit sein ({rest})",
    "Input should be greater than or equal to {n}": "muss größer oder gleich {n} sein",
    "Input should be greater than {n}": "muss größer als {n} sein",
    "Input should be less than or equal to {n}": "muss kleiner oder gleich {n} sein",
    "Input should be less than {n}": "muss kleiner als {n} sein",
    "Input should be {l} or {q}": "muss {l} oder {q} sein",
    "Input should be {q}": "muss {q} sein",
    "String should have at most {n} characters": "Text darf höchstens {n} Zeichen haben",
    "String should have at least {n} characters": "Text braucht mindestens {n} Zeichen",
    "String should match pattern {q}": "Text muss dem Muster {q} entsprechen",
    "List should have at least {n} items after validation, not {n2}": (
        "Liste braucht mindestens {n} Einträge, nicht {n2}"
    ),
    "List should have at least {n} item after validation, not {n2}": (
        "Liste braucht mindestens {n} Eintrag, nicht {n2}"
    ),
    "Unable to extract tag using discriminator {q}": "das Feld {q} fehlt",
    "Input tag {q} found using {q2} does not match any of the expected tags: {rest}": (
        "Wert {q} in {q2} ist keiner der erwarteten: {rest}"
    ),
    # --- the engine's and the live server's refusals ----------------------------------
    "{q} is not a standby asset": "{q} ist keine Bereitschaftsressource (standby)",
    "{q} has no workaround": "{q} hat keine Ersatzlösung (workaround)",
    "no running hazard {q} to detect": "kein laufendes Schadensereignis {q} zum Entdecken",
    "no scheduled inject {q} in the scenario": "keine geplante Einlage {q} im Szenario",
    "the exercise has ended": "die Übung ist beendet",
    "the exercise log is full ({n} commands)": "das Übungsprotokoll ist voll ({n} Befehle)",
    "{n} proposals are waiting for the facilitator; wait until some are answered": (
        "{n} Vorschläge warten auf die Übungsleitung; bitte warten, bis einige beantwortet sind"
    ),
    "no inject {q} in the MSEL": "keine Einlage {q} im Drehbuch (MSEL)",
    "inject {q} is already released": "Einlage {q} ist bereits eingespielt",
    "inject {q} is already skipped": "Einlage {q} wurde bereits übersprungen",
    "inject {q} has no time to delay": "Einlage {q} hat keinen Zeitpunkt zum Verschieben",
    "no player action {q} in the scenario": "keine Maßnahme {q} im Szenario",
    "no proposal {n}": "kein Vorschlag {n}",
    "proposal {n} is already accepted": "Vorschlag {n} ist bereits angenommen",
    "proposal {n} is already rejected": "Vorschlag {n} ist bereits abgelehnt",
    "the clock cannot go back": "die Uhr kann nicht zurückgehen",
    "no scheduled inject is pending": "keine geplante Einlage steht aus",
    "no scenario file {q}": "keine Szenariodatei {q}",
    "jump needs either by (a duration such as {q}) or to {q2}": (
        "ein Zeitsprung braucht entweder by (eine Dauer wie {q}) oder to {q2}"
    ),
    "required for action {q}, e.g. {q2}": "nötig für die Aktion {q}, z. B. {q2}",
    "required for action {q}": "nötig für die Aktion {q}",
    "required with delay": "nötig beim Verschieben (delay)",
    "only with delay": "nur beim Verschieben (delay)",
    "only with a hazard or a command": "nur mit einem Schadensereignis oder einem Befehl",
    "only with a hazard": "nur mit einem Schadensereignis",
    # --- the web server's refusals (HTTPException details in web/; the answer carries
    # the German text as `detail_de`, tests/test_web_refusals.py finds every one) ----
    "no asset {q} in this exercise": "keine Ressource {q} in dieser Übung",
    "exercise {q} is damaged: its scenario cannot be read": (
        "Übung {q} ist beschädigt: ihr Szenario ist nicht lesbar"
    ),
    "exercise {q} is damaged: log entry {n}:": "Übung {q} ist beschädigt: Protokolleintrag {n}:",
    "exercise {q} is damaged and cannot run:": "Übung {q} ist beschädigt und kann nicht laufen:",
    "exercise {q} is archived (idle too long); its log can still be downloaded, and the "
    "facilitator can reopen it ({x})": (
        "Übung {q} ist archiviert (zu lange ruhend); ihr Protokoll kann weiterhin "
        "heruntergeladen werden, und die Übungsleitung kann sie wieder öffnen ({x})"
    ),
    "; its log can still be downloaded": "; ihr Protokoll kann weiterhin heruntergeladen werden",
    "in run {n} of {n2} (other random draws) log entry {n3} cannot be played again:": (
        "im Durchlauf {n} von {n2} (andere Zufallszahlen) lässt sich Protokolleintrag {n3} "
        "nicht nachspielen:"
    ),
    "log entry {n}:": "Protokolleintrag {n}:",
    "the stored scenario is not valid ({n} problems, first: {x})": (
        "das gespeicherte Szenario ist ungültig ({n} Probleme, zuerst: {x})"
    ),
    "it was run by engine {w}; this engine ({w2}) plays its log differently, so it cannot go "
    "on here (its log can be downloaded and replayed with Tabletop {w3})": (
        "sie lief mit Engine {w}; diese Engine ({w2}) spielt ihr Protokoll anders, daher kann "
        "sie hier nicht weiterlaufen (ihr Protokoll kann heruntergeladen und mit Tabletop {w3} "
        "nachgespielt werden)"
    ),
    "the fork was not stored": "die Abzweigung wurde nicht gespeichert",
    "exercise {q} cannot be replayed:": "Übung {q} kann nicht nachgespielt werden:",
    "exercise {q} cannot be forked:": "Übung {q} kann nicht abgezweigt werden:",
    "no exercise {q}": "keine Übung {q}",
    "observers may not decide": "die Beobachtung darf nicht entscheiden",
    "managers may not decide": "das Management darf nicht entscheiden",
    "only the facilitator accepts or rejects proposals": (
        "nur die Übungsleitung nimmt Vorschläge an oder lehnt sie ab"
    ),
    "the people of an exercise are for the facilitator and observers": (
        "die Personen einer Übung sehen nur Übungsleitung und Beobachtung"
    ),
    "this exercise is damaged: its log is for the facilitator and observers only": (
        "diese Übung ist beschädigt: ihr Protokoll erhalten nur Übungsleitung und Beobachtung"
    ),
    "only the facilitator may do this": "das darf nur die Übungsleitung",
    "only the facilitator and observers may do this": (
        "das dürfen nur Übungsleitung und Beobachtung"
    ),
    "only the facilitator or a manager may fork an exercise": (
        "eine Übung abzweigen dürfen nur Übungsleitung und Management"
    ),
    "the replay is for the facilitator, observers and managers": (
        "die Wiedergabe ist für Übungsleitung, Beobachtung und Management"
    ),
    "a valid token is required": "ein gültiger Zugangslink (Token) ist nötig",
    "the administrator's token is required": "der Administrationslink (Token) ist nötig",
    "the exercise has {n} decisions; this server works out the value of at most {n2} at "
    "once: download the log and run {rest}": (
        "die Übung hat {n} Entscheidungen; dieser Server berechnet den Wert von höchstens "
        "{n2} auf einmal: das Protokoll herunterladen und {rest} ausführen"
    ),
    "the server already runs its limit of {n} live exercises": (
        "der Server führt bereits die Höchstzahl von {n} laufenden Übungen"
    ),
    "the server is making another report": "der Server erstellt gerade einen anderen Bericht",
    "the server is busy with other replays": "der Server ist mit anderen Wiedergaben ausgelastet",
    "the server is working out as many what-ifs as it does at once": (
        "der Server berechnet bereits so viele Was-wäre-wenn-Fragen, wie er gleichzeitig kann"
    ),
    "; try again in {n} s": "; in {n} s erneut versuchen",
    "PDF output needs WeasyPrint and Pango (install the {q} extra and the Debian package "
    "libpango-1.0-0):": (
        "die PDF-Ausgabe braucht WeasyPrint und Pango (das Extra {q} und das Debian-Paket "
        "libpango-1.0-0 installieren):"
    ),
    "Not Found": "Nicht gefunden",
    "Method Not Allowed": "Methode nicht erlaubt",
    "1 to 100 letters, digits or -_.:": "1 bis 100 Buchstaben, Ziffern oder -_.:",
    # --- overtime and hazards that must fit the company (engine, validation, live) -----
    "a flood needs an asset exposed to a flood gauge (flood: gauge in the company model); "
    "the company has none": (
        "ein Hochwasser braucht eine Ressource, die einem Pegel ausgesetzt ist (flood: gauge im "
        "Unternehmensmodell); das Unternehmen hat keine"
    ),
    "ransomware needs an IT asset to enter through (it_system, application or data); "
    "the company has none": (
        "Ransomware braucht eine IT-Ressource als Einfallstor (it_system, application oder "
        "data); das Unternehmen hat keine"
    ),
    "a power failure needs a power feed (an asset of kind utility); the company has none": (
        "ein Stromausfall braucht eine Stromeinspeisung (eine Ressource der Art utility); das "
        "Unternehmen hat keine"
    ),
    "a supply break needs a supplier or transport link (kind supplier or logistics); "
    "the company has none": (
        "ein Lieferausfall braucht einen Lieferanten oder Transportweg (Art supplier oder "
        "logistics); das Unternehmen hat keinen"
    ),
    "a staff absence needs a staff pool (an asset of kind staff); the company has none": (
        "ein Personalausfall braucht einen Personalbestand (eine Ressource der Art staff); das "
        "Unternehmen hat keinen"
    ),
    "inject {q} is addressed to team {q2}, which the company does not define (teams: none)": (
        "Einlage {q} ist an das Team {q2} gerichtet, das das Unternehmen nicht festlegt (das "
        "Unternehmen hat keine Teams)"
    ),
    "inject {q} is addressed to team {q2}, which the company does not define (teams: {l})": (
        "Einlage {q} ist an das Team {q2} gerichtet, das das Unternehmen nicht festlegt "
        "(Teams: {l})"
    ),
    "no asset is exposed to gauge {q} (gauges: none)": (
        "keine Ressource ist dem Pegel {q} ausgesetzt (das Unternehmen hat keine Pegel)"
    ),
    "no asset is exposed to gauge {q} (gauges: {l})": (
        "keine Ressource ist dem Pegel {q} ausgesetzt (Pegel: {l})"
    ),
    "the horizon can only be extended by a positive duration": (
        "der Übungszeitraum kann nur um eine positive Dauer verlängert werden"
    ),
    "the horizon cannot go beyond {n} days (it is {n2} days now)": (
        "der Übungszeitraum kann höchstens {n} Tage lang sein (jetzt {n2} Tage)"
    ),
    "the horizon can be extended to at most {n} days in all (now {n2} days)": (
        "der Übungszeitraum kann auf höchstens {n} Tage verlängert werden (jetzt {n2} Tage)"
    ),
    "; extend the horizon to go on": "; zum Weiterspielen den Übungszeitraum verlängern",
    # --- what-if edits of a log (exercise/whatif.py, web what-if) ---------------------
    "no entry {n} in the log (it has entries {n2} to {n3})": (
        "kein Eintrag {n} im Protokoll (es hat die Einträge {n2} bis {n3})"
    ),
    "entry {n} is an {w} entry, not a decision, proposal or answer to one": (
        "Eintrag {n} (Art {w}) ist weder Entscheidung noch Vorschlag noch Antwort darauf"
    ),
    "entry {n} is a {w} entry, not a decision, proposal or answer to one": (
        "Eintrag {n} (Art {w}) ist weder Entscheidung noch Vorschlag noch Antwort darauf"
    ),
    "entry {n} is an {w} entry, not a decision or proposal": (
        "Eintrag {n} (Art {w}) ist weder Entscheidung noch Vorschlag"
    ),
    "entry {n} is a {w} entry, not a decision or proposal": (
        "Eintrag {n} (Art {w}) ist weder Entscheidung noch Vorschlag"
    ),
    " (its proposal is entry {n})": " (ihr Vorschlag ist Eintrag {n})",
    "an answer cannot come before its proposal {n} (T+{n2} h)": (
        "eine Antwort kann nicht vor ihrem Vorschlag {n} kommen (T+{n2} Std.)"
    ),
    "its answer (entry {n}) would come after the horizon (T+{n2} h)": (
        "ihre Antwort (Eintrag {n}) käme nach dem Übungsende (T+{n2} Std.)"
    ),
    "required with replace or add: a catalogue action": (
        "nötig mit replace oder add: eine Maßnahme aus dem Katalog"
    ),
    "only with replace or add": "nur mit replace oder add",
    "required with move: a simulated time such as {q}": (
        "nötig mit move: eine simulierte Zeit wie {q}"
    ),
    "only with move": "nur mit move",
    # --- named people and teams (exercise/session.py, web /people) --------------------
    "no team {q} in this exercise (none yet: add people with their team)": (
        "kein Team {q} in dieser Übung (noch keines: Personen mit ihrem Team hinzufügen)"
    ),
    "no team {q} in this exercise ({x})": "kein Team {q} in dieser Übung ({x})",
    "no person {q} in this exercise": "keine Person {q} in dieser Übung",
    "person {q} is already in the exercise": "Person {q} ist bereits in der Übung",
    "an exercise has at most {n} named people": "eine Übung hat höchstens {n} benannte Personen",
    "an exercise has at most {n} teams ({x})": "eine Übung hat höchstens {n} Teams ({x})",
    "only with a hazard, a command or a message": (
        "nur mit einem Schadensereignis, einem Befehl oder einer Meldung"
    ),
    # --- spreadsheets (readwrite/table.py, readwrite/msel.py) --------------------
    "not a scenario time: {q}; write T+0:30, 30min or h:mm since the start": (
        "keine Übungszeit: {q}; bitte T+0:30, 30min oder h:mm seit dem Start angeben"
    ),
    "{q} is before the scenario start {q2}": "{q} liegt vor dem Start des Szenarios {q2}",
    "merged cells {q}; unmerge them (one value a cell)": (
        "verbundene Zellen {q}; bitte die Verbindung aufheben (ein Wert je Zelle)"
    ),
    "a formula ({q}); enter the value itself": "eine Formel ({q}); bitte den Wert selbst eintragen",
    "no sheet named {q} (sheets: {l})": "kein Tabellenblatt namens {q} (Blätter: {l})",
    "not an XLSX workbook (save it as .xlsx, or as CSV UTF-8)": (
        "keine XLSX-Arbeitsmappe (bitte als .xlsx oder als CSV UTF-8 speichern)"
    ),
    "not a readable XLSX workbook ({w})": "keine lesbare XLSX-Arbeitsmappe ({w})",
    "unpacks to more than {n} MB": "entpackt größer als {n} MB",
    "{n} rows; at most {n2} injects a sheet": "{n} Zeilen; höchstens {n2} Einlagen je Blatt",
    "{n} columns; at most {n2}": "{n} Spalten; höchstens {n2}",
    "not UTF-8 text (byte 0x{w}); save it as CSV UTF-8": (
        "kein UTF-8-Text (Byte 0x{w}); bitte als CSV UTF-8 speichern"
    ),
    "a second {q} column (first: {q2})": "eine zweite Spalte {q} (erste: {q2})",
    "no header row with the MSEL's columns (e.g. {l})": (
        "keine Kopfzeile mit den Spalten des Drehbuchs (z. B. {l})"
    ),
    "longer than {n} characters": "länger als {n} Zeichen",
    "not a YAML value: {rest}": "kein YAML-Wert: {rest}",
    "anchors and aliases (&, *) are not allowed here": (
        "Anker und Aliase (&, *) sind hier nicht erlaubt"
    ),
    "not an .xlsx or .csv file": "keine .xlsx- oder .csv-Datei",
    # --- graphs (readwrite/graph.py) ---------------------------------------------
    "a DTD or entity declaration (<!DOCTYPE …>) is not allowed": (
        "eine DTD oder Entitätsdeklaration (<!DOCTYPE …>) ist nicht erlaubt"
    ),
    "not well-formed XML: {rest}": "kein wohlgeformtes XML: {rest}",
    "{n} nodes and {n2} edges; at most {n3} nodes and {n4} edges": (
        "{n} Knoten und {n2} Kanten; höchstens {n3} Knoten und {n4} Kanten"
    ),
    "not a {w} graph NetworkX can read: {rest}": "kein für NetworkX lesbarer {w}-Graph: {rest}",
    "an undirected graph: draw edges from the asset that needs to its provider": (
        "ein ungerichteter Graph: Kanten bitte von der Ressource, die etwas braucht, zu ihrem "
        "Versorger zeichnen"
    ),
    "unknown mode {q}; use all, any or k": "unbekannter Modus {q}; bitte all, any oder k",
    "{x} here but {x2} on the need's edge to {q}": "hier {x}, aber {x2} an der Kante zu {q}",
    "not JSON: {rest}": "kein JSON: {rest}",
    "not a JSON {w}": "kein JSON-{w}",
    "not a .graphml or .gexf file": "keine .graphml- oder .gexf-Datei",
    # --- NetBox import (readwrite/netbox*.py, cli_netbox.py) ---------------------------
    "a NetBox fixture is a list of objects, found {w}": (
        "ein NetBox-Export ist eine Liste von Objekten, gefunden: {w}"
    ),
    "not a fixture object (model, pk, fields)": "kein Objekt eines Exports (model, pk, fields)",
    "{w}: missing or not a mapping": "{w}: fehlt oder ist keine Zuordnung",
    "{w}: expected an integer key, found {r}": (
        "{w}: ganzzahliger Schlüssel erwartet, gefunden: {r}"
    ),
    "expected the key of an object, found {r}": ("Schlüssel eines Objekts erwartet, gefunden: {r}"),
    "expected text, found {w}": "Text erwartet, gefunden: {w}",
    "expected [app, model]": "[App, Modell] erwartet",
    "not an object with an integer id": "kein Objekt mit ganzzahliger id",
    "expected object_type and object_id": "object_type und object_id erwartet",
    "expected an object": "Objekt erwartet",
    "{n} more problems": "{n} weitere Probleme",
    "not a JSON file: {r}": "keine JSON-Datei: {r}",
    "NetBox name {q} fits several objects ({x}): write the asset id": (
        "NetBox-Name {q} passt auf mehrere Objekte ({x}): bitte die Ressourcen-ID angeben"
    ),
    "give a fixture file or --url (one of them)": (
        "bitte eine Exportdatei oder --url angeben (eines von beiden)"
    ),
    "expected a mapping with {q} (as in a company file)": (
        "Zuordnung mit {q} erwartet (wie in einer Unternehmensdatei)"
    ),
    "{x}: not an http(s) URL of a NetBox server": "{x}: keine http(s)-Adresse eines NetBox-Servers",
    "{x}: more than {n} pages; giving up": "{x}: mehr als {n} Seiten; abgebrochen",
    "{x}: took longer than {n} s; giving up": "{x}: dauerte länger als {n} s; abgebrochen",
    "{x}: more than {n} objects; giving up": "{x}: mehr als {n} Objekte; abgebrochen",
    "{x}: HTTP {n}: the token (NETBOX_TOKEN) is missing or may not read this list": (
        "{x}: HTTP {n}: das Token (NETBOX_TOKEN) fehlt oder darf diese Liste nicht lesen"
    ),
    "{x}: the answer is not JSON": "{x}: die Antwort ist kein JSON",
    "{x}: not a NetBox list page (no {q})": "{x}: keine Listenseite von NetBox (kein {q})",
    "{x}: {q} is not a URL": "{x}: {q} ist keine Adresse",
    "{x}: {q} leads to another server ({x2}): refused": (
        "{x}: {q} führt zu einem anderen Server ({x2}): abgelehnt"
    ),
    # --- the command line's own refusals (cli/app.py) and the logs it reads ------------
    "{q} is past the scenario's horizon ({n} h)": (
        "{q} liegt nach dem Ende des Szenarios ({n} Std.)"
    ),
    "{q} is past the exercise's horizon ({n} h)": "{q} liegt nach dem Ende der Übung ({n} Std.)",
    "no asset {q} in company {q2}": "keine Ressource {q} im Unternehmen {q2}",
    "--{w}: write {x}, e.g. {r}": "--{w}: bitte {x} angeben, z. B. {r}",
    "SEQ must be an entry number of the log, not {q}": (
        "SEQ muss eine Eintragsnummer des Protokolls sein, nicht {q}"
    ),
    "nothing to write: give {x} or {w}": "nichts zu schreiben: bitte {x} oder {w} angeben",
    "{n} logs given: one, or two or more with --series": (
        "{n} Protokolle angegeben: eines, oder zwei und mehr mit --series"
    ),
    "give {n} to {n2} logs, not {n3}": "bitte {n} bis {n2} Protokolle angeben, nicht {n3}",
    "each exercise has its own improvement plan; write it without --series": (
        "jede Übung hat ihren eigenen Maßnahmenplan; ihn ohne --series schreiben"
    ),
    "missing (a player's log cannot be replayed)": (
        "fehlt (das Protokoll eines Teilnehmers lässt sich nicht nachspielen)"
    ),
    "scenario {q} has changed since the log was written": (
        "Szenario {q} wurde geändert, seit das Protokoll geschrieben wurde"
    ),
    "missing, and no scenario to replay on": "fehlt, und es gibt kein Szenario zum Nachspielen",
    "{q} is not a path under scenarios/": "{q} ist kein Pfad unter scenarios/",
    "the log's header has no scenario bundle and seed (a participant's log cannot be "
    "replayed: export it with the facilitator's link)": (
        "der Kopf des Protokolls enthält weder Szenario noch Seed (das Protokoll eines "
        "Teilnehmers lässt sich nicht nachspielen: mit dem Link der Übungsleitung exportieren)"
    ),
    "the log was written by engine {w} and has no checkpoint; this is engine {w2}, which "
    "cannot prove it replays the log exactly: replay it with Tabletop {w3}": (
        "das Protokoll stammt von Engine {w} und hat keinen Prüfpunkt; dies ist Engine {w2}, "
        "die nicht belegen kann, dass sie es genau nachspielt: mit Tabletop {w3} nachspielen"
    ),
    "the log was written by engine {w}; this engine ({w2}) plays it differently{x}: replay "
    "it with Tabletop {w3}": (
        "das Protokoll stammt von Engine {w}; diese Engine ({w2}) spielt es anders{x}: mit "
        "Tabletop {w3} nachspielen"
    ),
    "empty, expected a header line and log entries": (
        "leer, erwartet: eine Kopfzeile und Protokolleinträge"
    ),
    "the first line must be the log's header": "die erste Zeile muss der Kopf des Protokolls sein",
    "seq: expected {n}, found {n2}": "seq: erwartet {n}, gefunden {n2}",
    "log entry {n} is missing (next is {n2})": "Protokolleintrag {n} fehlt (der nächste ist {n2})",
    "the log does not replay on this scenario: {rest}": (
        "das Protokoll lässt sich auf diesem Szenario nicht nachspielen: {rest}"
    ),
    "the time cannot be before the start (got {n} s)": (
        "die Zeit kann nicht vor dem Start liegen (angegeben: {n} s)"
    ),
    "T+{n} h is beyond the horizon (T+{n2} h)": (
        "T+{n} Std. liegt nach dem Übungsende (T+{n2} Std.)"
    ),
    "PDF output needs WeasyPrint and Pango (install the {q} extra and the Debian package "
    "libpango-1.0-0): {rest}": (
        "PDF-Ausgabe braucht WeasyPrint und Pango (das Extra {q} und das Debian-Paket "
        "libpango-1.0-0 installieren): {rest}"
    ),
    # --- sweep parameters (analysis/sweep.py) --------------------------------------
    "a parameter starts with company., scenario., assets. or teams.": (
        "ein Parameter beginnt mit company., scenario., assets. oder teams."
    ),
    "no {q} along this path": "kein {q} auf diesem Pfad",
    "not UTF-8 text (byte {n})": "kein UTF-8-Text (Byte {n})",
    "not UTF-8 text": "kein UTF-8-Text",
    # --- durations with a decimal comma (terms/durations.py) ------------------------
    "not a duration: {q}; {q2} has more than one decimal mark: write one comma or point, "
    "e.g. {q3} or {q4} (no thousands separators)": (
        "keine Dauer: {q}; {q2} hat mehr als ein Dezimalzeichen: bitte ein Komma oder einen "
        "Punkt schreiben, z. B. {q3} oder {q4} (keine Tausendertrennzeichen)"
    ),
    "not a duration: {q}; {q2} could mean {q3} or {q4}: write the one you mean (no "
    "thousands separators)": (
        "keine Dauer: {q}; {q2} kann {q3} oder {q4} bedeuten: bitte das Gemeinte schreiben "
        "(ohne Tausendertrennzeichen)"
    ),
    # --- a person's team is one of the company's (exercise/session.py) ------------------
    "no team {q} in the company (its teams: {l}; or leave the team out)": (
        "kein Team {q} im Unternehmen (seine Teams: {l}; oder das Team weglassen)"
    ),
    "no team {q}: the company defines no teams; leave the team out": (
        "kein Team {q}: das Unternehmen legt keine Teams fest; das Team weglassen"
    ),
}

_QUOTED = re.compile(r"(?<![A-Za-z])'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_SLOT = "\x00{}\x00"  # a quoted value set aside, by its index
_KINDS = {
    "q": r"\x00\d+\x00",
    "l": r"\x00\d+\x00(?:, \x00\d+\x00)*",  # a list of quoted values: 'a', 'b'
    "n": r"-?\d+(?:\.\d+)?",
    "w": r"[\w.\[\]/-]+",
    "x": r".+?",
    "r": r".*",
}
_PLACEHOLDER = re.compile(r"\{([qlnwxr]\w*)\}")


@functools.cache
def _compiled() -> list[tuple[str, re.Pattern[str], str]]:
    """Each template as its longest literal piece (a cheap test whether it can
    match at all), a regular expression and its German replacement."""
    out = []
    for english, german in GERMAN.items():
        pattern, last = "", 0
        for m in _PLACEHOLDER.finditer(english):
            pattern += re.escape(english[last : m.start()])
            pattern += f"(?P<{m.group(1)}>{_KINDS[m.group(1)[0]]})"
            last = m.end()
        pattern += re.escape(english[last:])
        replacement = _PLACEHOLDER.sub(lambda m: f"\\g<{m.group(1)}>", german.replace("\\", "\\\\"))
        literal = max(_PLACEHOLDER.split(english)[::2], key=len)
        out.append((literal, re.compile(pattern), replacement))
    return out


def translate(message: str, lang: str) -> str:
    """`message` in `lang` ("de" or "en"); phrases without a German text stay English."""
    return _german(message) if lang == "de" else message


@functools.lru_cache(maxsize=4096)  # a page repeats the same few messages
def _german(message: str) -> str:
    quoted: list[str] = []

    def set_aside(m: re.Match[str]) -> str:
        quoted.append(m.group())
        return _SLOT.format(len(quoted) - 1)

    out = _QUOTED.sub(set_aside, message)
    for literal, pattern, german in _compiled():
        if literal in out:
            out = pattern.sub(german, out)
    return re.sub("\x00(\\d+)\x00", lambda m: quoted[int(m.group(1))], out)


# --- the log's entry kinds by name ----------------------------------------------------
ENTRY_KINDS: dict[str, tuple[str, str]] = {
    "clock": ("Uhr", "clock"),
    "inject": ("Einlage (ad hoc)", "ad hoc inject"),
    "msel": ("Drehbuch-Einlage", "scripted inject"),
    "release": ("Einspielung", "inject released"),
    "skip": ("Einlage ausgelassen", "inject skipped"),
    "delay": ("Einlage verschoben", "inject delayed"),
    "decision": ("Entscheidung", "decision"),
    "proposal": ("Vorschlag", "proposal"),
    "accept": ("Zustimmung", "accepted"),
    "reject": ("Ablehnung", "rejected"),
    "observation": ("Beobachtung", "observation"),
    "trigger": ("Auslöser", "trigger"),
    "person": ("Person", "person"),
    "plan": ("Maßnahmenplan", "improvement plan"),
}
"""The kinds of the exercise log's entries in (German, English): the report's
appendix names them so; `msel` is a scripted inject the pacer released when it
fell due, `release` one the facilitator released by hand (eingespielt)."""

# A refusal that names an entry by its kind ("entry 10 is a release entry") reads
# "Eintrag 10 (Art release)" after the templates above; these come last and put
# the kind's German name in its place.
GERMAN.update({f"(Art {kind})": f"({de})" for kind, (de, _) in ENTRY_KINDS.items()})
