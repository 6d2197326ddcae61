"""German and English texts of the web pages.

The language comes from `?lang=de|en` (remembered in a cookie), else the
cookie, else the browser's Accept-Language (German when it prefers de), else
English. Terms follow ISO 22301 and BSI-Standard 200-4: RTO is the WAZ
(Wiederanlaufzeit), MTPD the MTA (maximal tolerierbare Ausfallzeit), MBCO the
Notbetriebsniveau. A German BCM team says "Einlage" for an inject and
"Zeitsprung" for a jump of the clock.
"""

from __future__ import annotations

from starlette.requests import Request

from simulator.exercise.log import RATING_NAMES
from simulator.terms.kinds import HAZARD_NAMES

LANGS = ("de", "en")
COOKIE = "lang"

# key -> (German, English)
TEXTS: dict[str, tuple[str, str]] = {
    # --- shared ---------------------------------------------------------------
    "app.tagline": (
        "Krisenübungen auf einem simulierten Unternehmen",
        "Crisis exercises on a simulated company",
    ),
    "lang.switch": ("English", "Deutsch"),
    "role.facilitator": ("Übungsleitung", "Facilitator"),
    "role.participant": ("Teilnehmende", "Participant"),
    "role.observer": ("Beobachtung", "Observer"),
    "role.manager": ("Management", "Manager"),
    "role.system": ("System", "System"),
    "error.title": ("Fehler", "Error"),
    "error.401": (
        "Für diese Übung ist ein gültiger Zugangslink nötig. Bitte den Link verwenden, "
        "den Sie von der Übungsleitung erhalten haben.",
        "This exercise needs a valid access link. Please use the link the facilitator "
        "gave you.",
    ),
    "error.404": ("Diese Übung gibt es nicht (mehr).", "There is no such exercise."),
    "error.home": ("Zur Startseite", "To the start page"),
    "error.archived": (
        "Diese Übung ist archiviert: Sie war lange ohne Befehl und ohne Zuschauende. "
        "Ihr Protokoll bleibt erhalten und kann heruntergeladen werden; die Übungsleitung "
        "kann sie wieder öffnen.",
        "This exercise is archived: it had no command and no viewer for a long time. Its "
        "log is kept and can be downloaded; the facilitator can reopen it.",
    ),
    "error.storage": (
        "Die Datenbank nimmt gerade nichts an; nichts wurde gespeichert. Bitte später "
        "erneut versuchen.",
        "The database takes no writes right now; nothing was stored. Please try again later.",
    ),
    "error.archived_title": ("Übung archiviert", "Exercise archived"),
    "error.damaged": (
        "Diese Übung ist beschädigt und kann nicht laufen. Grund:",
        "This exercise is damaged and cannot run. Reason:",
    ),
    "error.damaged_title": ("Übung beschädigt", "Exercise damaged"),
    "error.log": ("Protokoll herunterladen (JSON Lines)", "Download the log (JSON Lines)"),
    "error.reopen": ("Übung wieder öffnen", "Reopen the exercise"),
    "error.full": (
        "Der Server führt bereits die höchstzulässige Zahl laufender Übungen ({limit}). "
        "Bitte später erneut versuchen oder eine eigene Instanz betreiben.",
        "The server already runs its limit of {limit} live exercises. Please try again "
        "later or run your own instance.",
    ),
    # --- start page -------------------------------------------------------------
    "start.title": ("Neue Übung", "New exercise"),
    "start.intro": (
        "Szenario wählen, Uhr einstellen, Übung anlegen. Danach gibt es vier "
        "Links: für die Übungsleitung, für die Teilnehmenden, zum Beobachten und für das "
        "Management (Wiedergabe, Was-wäre-wenn, Übungsbericht).",
        "Pick a scenario, set the clock, create the exercise. You then get four "
        "links: for the facilitator, for the participants, a read-only one for observers "
        "and one for managers (replay, what-if, after-action report).",
    ),
    "start.scenario": ("Szenario", "Scenario"),
    "start.bundled": ("Mitgeliefertes Szenario", "Bundled scenario"),
    "start.upload": ("Eigenes Szenario hochladen", "Upload your own scenario"),
    "start.scenario_file": ("Szenariodatei (YAML)", "Scenario file (YAML)"),
    "start.company_file": ("Unternehmensmodell (YAML, JSON oder BIA-Arbeitsmappe .xlsx)",
                           "Company file (YAML, JSON or BIA workbook .xlsx)"),
    "start.upload_hint": (
        "Die hochgeladene Unternehmensdatei gilt, wie immer sie heißt; ohne sie "
        "muss „company“ im Szenario ein mitgeliefertes Unternehmen nennen "
        "(z. B. dairy/company.yaml). Beide Dateien werden zusammen geprüft. "
        "Statt der Unternehmensdatei geht auch eine BIA-Arbeitsmappe "
        "(Vorlage: tabletop template bia).",
        "The uploaded company file is used, whatever its name; without one, the "
        "scenario's “company” must name a bundled company (e.g. "
        "dairy/company.yaml). Both files are checked together. A BIA workbook "
        "may take the company file's place (template: tabletop template bia).",
    ),
    "start.no_scenarios": (
        "Keine mitgelieferten Szenarien gefunden.",
        "No bundled scenarios found.",
    ),
    "start.settings": ("Einstellungen", "Settings"),
    "start.seed": ("Zufallszahl (Seed)", "Seed"),
    "start.seed_hint": ("leer: der Seed des Szenarios", "empty: the scenario's seed"),
    "start.start": ("Beginn (simulierte Zeit)", "Start (simulated time)"),
    "start.start_hint": (
        "leer: Beginn laut Szenario; Uhrzeit in der Zeitzone des Szenarios "
        "(Europe/Berlin, wenn es keine andere nennt)",
        "empty: the scenario's start; a time in the scenario's time zone "
        "(Europe/Berlin unless it names another)",
    ),
    "start.speed": ("Uhrgeschwindigkeit", "Clock speed"),
    "start.speed_hint": (
        "simulierte Sekunden je echter Sekunde",
        "simulated seconds per real second",
    ),
    "start.create": ("Übung anlegen", "Create exercise"),
    "start.problems": (
        "Die Übung konnte nicht angelegt werden:",
        "The exercise could not be created:",
    ),
    "speed.1": ("1 × – Echtzeit", "1 × – real time"),
    "speed.10": ("10 ×", "10 ×"),
    "speed.30": ("30 × – eine halbe Stunde je Minute", "30 × – half an hour per minute"),
    "speed.60": ("60 × – eine Stunde je Minute", "60 × – an hour per minute"),
    "speed.120": ("120 × – zwei Stunden je Minute", "120 × – two hours per minute"),
    "speed.300": ("300 × – fünf Stunden je Minute", "300 × – five hours per minute"),
    "speed.600": ("600 × – zehn Stunden je Minute", "600 × – ten hours per minute"),
    "speed.1440": ("1440 × – ein Tag je Minute", "1440 × – a day per minute"),
    "form.bad_seed": ("keine ganze Zahl ≥ 0", "not a whole number ≥ 0"),
    "form.bad_speed": ("muss zwischen 0 und 1440 liegen", "must be between 0 and 1440"),
    "form.bad_start": ("kein Datum mit Uhrzeit zwischen 1900 und 2199",
                       "not a date and time between 1900 and 2199"),
    "form.no_scenario": ("bitte ein Szenario wählen", "please pick a scenario"),
    "form.unknown_scenario": ("kein mitgeliefertes Szenario", "not a bundled scenario"),
    "form.no_file": ("bitte eine Szenariodatei hochladen", "please upload a scenario file"),
    "form.bad_name": ("ungültiger Dateiname (erlaubt: Buchstaben, Ziffern, Leerzeichen und "
                      "_ . - ( ) +, Endung .yaml, .yml, .json, beim Unternehmen auch .xlsx)",
                      "not a usable file name (letters, digits, spaces and _ . - ( ) +; "
                      "ending .yaml, .yml, .json, for the company also .xlsx)"),
    "form.too_large": ("Datei zu groß", "file too large"),
    "form.bad_form": ("Formular nicht lesbar", "the form could not be read"),
    # --- created page -----------------------------------------------------------------
    "created.title": ("Übung angelegt", "Exercise created"),
    "created.intro": (
        "Diese Links sind die einzigen Zugänge zur Übung. Jetzt kopieren und "
        "weitergeben – der Link der Übungsleitung bleibt geheim.",
        "These links are the only way into the exercise. Copy and share them "
        "now – keep the facilitator link to yourself.",
    ),
    "created.facilitator": ("Übungsleitung (geheim)", "Facilitator (secret)"),
    "created.participant": ("Teilnehmende (beitreten)", "Participants (join)"),
    "created.observer": ("Beobachtung (nur lesen)", "Observers (read-only)"),
    "created.manager": ("Management (Auswertung, nur lesen)", "Managers (replay, read-only)"),
    "created.open": ("Leitstand öffnen", "Open the facilitator console"),
    "created.copy": ("Kopieren", "Copy"),
    "created.copied": ("Kopiert", "Copied"),
    # --- the administrator's archive ----------------------------------------------------
    "archive.title": ("Archiv der Übungen", "Exercise archive"),
    "archive.intro": (
        "Alle gespeicherten Übungen dieses Servers. Dieser Link gibt Zugriff auf jede "
        "Übung – geheim halten.",
        "Every exercise stored on this server. This link opens every exercise – keep it "
        "secret.",
    ),
    "archive.401": (
        "Das Archiv ist nur mit dem Administrationslink erreichbar, den der Server beim "
        "Start ausgibt.",
        "The archive needs the administrator link the server prints at start-up.",
    ),
    "archive.none": ("Noch keine Übungen gespeichert.", "No exercises stored yet."),
    "archive.scenario": ("Szenario", "Scenario"),
    "archive.created": ("Angelegt (UTC)", "Created (UTC)"),
    "archive.state": ("Zustand", "State"),
    "archive.sim_time": ("Simulierte Zeit", "Simulated time"),
    "archive.commands": ("Befehle", "Commands"),
    "archive.actions": ("Aktionen", "Actions"),
    "archive.replay": ("Auswertung öffnen", "Open the replay"),
    "archive.log": ("Protokoll (JSON Lines)", "Log (JSON Lines)"),
    "archive.delete": ("Löschen …", "Delete …"),
    "archive.no_manager": (
        "ohne Management-Link (vor dieser Version angelegt)",
        "no manager link (created before this version)",
    ),
    "archive.state.paused": ("angehalten", "paused"),
    "archive.state.running": ("läuft", "running"),
    "archive.state.ended": ("beendet", "ended"),
    "archive.state.archived": ("archiviert", "archived"),
    "archive.state.damaged": ("beschädigt", "damaged"),
    "archive.deleted": ("Übung {id} wurde gelöscht.", "Exercise {id} was deleted."),
    "archive.confirm_title": ("Übung löschen?", "Delete the exercise?"),
    "archive.confirm": (
        "Die Übung {id} wird mit ihrem Protokoll endgültig gelöscht; ihre Links "
        "funktionieren danach nicht mehr. Wer sie gerade ansieht, wird getrennt.",
        "Exercise {id} and its log are deleted for good; its links stop working. Anyone "
        "watching it is disconnected.",
    ),
    "archive.confirm_delete": ("Endgültig löschen", "Delete for good"),
    "archive.cancel": ("Abbrechen", "Cancel"),
    "archive.back": ("Zurück zum Archiv", "Back to the archive"),
    "archive.series": ("Übungsreihen", "Exercise series"),
    "archive.series_intro": (
        "Läufe desselben Szenarios nebeneinander: erreichte Übungsziele, Bewertungen, "
        "WAZ- und MTA-Überschreitungen, Schaden und Zeit bis zur Entscheidung. Wird das "
        "Team besser?",
        "Runs of the same scenario side by side: objectives met, ratings, RTO and MTPD "
        "breaches, impact and time to decision. Does the team get better?",
    ),
    "archive.series_runs": ("{n} Übungen", "{n} exercises"),
    "series.title": ("Übungsreihe", "Exercise series"),
    "series.intro": (
        "Die gespeicherten Übungen in zeitlicher Reihenfolge, jede bis zu ihrem Ende "
        "nachgespielt und wie im Übungsbericht beurteilt. Nur die Administration sieht "
        "diese Seite: ein Management-Link öffnet nur seine eigene Übung.",
        "The stored exercises in time order, each replayed to its end and judged as in "
        "the after-action report. Only the administrator sees this page: a manager's link "
        "opens its own exercise only.",
    ),
    "series.download_html": ("Bericht der Übungsreihe (HTML)", "Series report (HTML)"),
    "series.download_pdf": ("Bericht der Übungsreihe (PDF)", "Series report (PDF)"),
    "series.bad_ids": (
        "ids: Übungs-IDs durch Kommas getrennt (Buchstaben, Ziffern, - und _).",
        "ids: exercise ids separated by commas (letters, digits, - and _).",
    ),
    # --- the console ---------------------------------------------------------------------
    "console.clock": ("Übungsuhr", "Exercise clock"),
    "console.sim_time": ("Simulierte Zeit", "Simulated time"),
    "console.narrative": ("Ausgangslage", "Situation"),
    "console.connecting": ("Verbinde …", "Connecting …"),
    "console.offline": (
        "Verbindung unterbrochen – verbinde neu …",
        "Connection lost – reconnecting …",
    ),
    "clock.running": ("läuft", "running"),
    "clock.paused": ("angehalten", "paused"),
    "clock.ended": ("beendet", "ended"),
    "clock.start": ("Start", "Start"),
    "clock.pause": ("Anhalten", "Pause"),
    "clock.resume": ("Fortsetzen", "Resume"),
    "clock.speed": ("Geschwindigkeit", "Speed"),
    "clock.jump": ("Zeitsprung um", "Jump ahead by"),
    "clock.jump_go": ("Zeitsprung", "Jump"),
    "clock.next_inject": ("Zeitsprung zur nächsten Einlage", "Jump to the next inject"),
    "msel.title": ("Drehbuch (MSEL)", "Script (MSEL)"),
    "msel.due": ("fällig", "due"),
    "msel.inject": ("Einlage", "Inject"),
    "msel.status": ("Status", "Status"),
    "msel.pending": ("offen", "pending"),
    "msel.released": ("eingespielt", "released"),
    "msel.skipped": ("übersprungen", "skipped"),
    "msel.release": ("Einspielen", "Release"),
    "msel.delay": ("Verschieben", "Delay"),
    "msel.skip": ("Überspringen", "Skip"),
    "msel.delay_by": ("verschieben um", "delay by"),
    "msel.manual": ("von Hand", "by hand"),
    "msel.empty": ("Das Szenario hat keine Einlagen.", "The scenario has no injects."),
    # Adaptive triggers (issue 14): the facilitator's and observers' card only.
    "trigger.title": ("Auslöser", "Triggers"),
    "trigger.hint": (
        "Einlagen, die der Zustand des simulierten Unternehmens oder eine Entscheidung "
        "auslöst. Teilnehmende sehen keine Auslöser, nur was ihnen eingespielt wird.",
        "Injects that the simulated company's state or a decision sets off. Participants "
        "never see triggers, only what is released to them.",
    ),
    "trigger.none": ("Das Szenario hat keine Auslöser.", "The scenario has no triggers."),
    "trigger.armed": ("aktiv", "armed"),
    "trigger.disarmed": ("deaktiviert", "disarmed"),
    "trigger.spent": ("ausgelöst", "fired"),
    "trigger.when": ("wenn", "when"),
    "trigger.delay": ("und das {d} lang", "for {d}"),
    "trigger.repeat": ("wiederholt, höchstens alle {d}", "repeats, at most every {d}"),
    "trigger.since": ("Bedingung erfüllt seit", "condition true since"),
    "trigger.fired_at": ("ausgelöst", "fired"),
    "trigger.because": ("weil", "because"),
    "trigger.by_hand": ("von Hand (Übungsleitung)", "by hand (facilitator)"),
    "trigger.does": ("dann", "then"),
    "trigger.does_notify": ("Vorschlag an die Übungsleitung", "suggestion to the facilitator"),
    "trigger.does_release": ("Einlage einspielen", "release inject"),
    "trigger.does_hazard": ("Schadensereignis starten", "start hazard"),
    "trigger.does_command": ("Befehl", "command"),
    "trigger.disarm": ("Deaktivieren", "Disarm"),
    "trigger.fire": ("Jetzt auslösen", "Fire now"),
    "trigger.fired_title": ("Auslöser", "Trigger"),
    "suggest.title": ("Vorgeschlagene Einlagen", "Suggested injects"),
    "suggest.none": ("Keine vorgeschlagenen Einlagen.", "No suggested injects."),
    "suggest.release": ("Einspielen", "Release"),
    "suggest.dismiss": ("Verwerfen", "Dismiss"),
    "suggest.open": ("offen", "open"),
    "suggest.released": ("eingespielt", "released"),
    "suggest.dismissed": ("verworfen", "dismissed"),
    "suggest.by": ("vorgeschlagen von", "suggested by"),
    "suggest.because": ("vorgeschlagen, weil", "suggested because"),
    "trigger.unnamed": ("Auslöser des Drehbuchs", "a trigger of the script"),
    "cond.asset_down": ("{a} ist ausgefallen", "{a} is down"),
    "cond.asset_degraded": ("{a} ist eingeschränkt", "{a} is degraded"),
    "cond.asset_up": ("{a} läuft", "{a} is up"),
    "cond.asset_restored": ("{a} ist wiederhergestellt", "{a} is restored"),
    "cond.asset_below": ("{a} unter {x} Leistung", "{a} below {x} capacity"),
    "cond.process_below_mbco": ("{a} unter dem Notbetriebsniveau", "{a} below its MBCO"),
    "cond.process_rto_breached": ("{a}: WAZ überschritten", "{a} breached its RTO"),
    "cond.process_mtpd_breached": ("{a}: MTA überschritten", "{a} breached its MTPD"),
    "cond.process_data_lost": ("{a} hat Daten verloren", "{a} lost data"),
    "cond.process_impact": ("Schaden bei {a} erreicht {x}", "impact of {a} reached {x}"),
    "cond.buffer": ("Puffer {x} von {a} auf {d} gesunken", "buffer {x} of {a} down to {d}"),
    "cond.action_taken": ("Maßnahme „{x}“ ergriffen", "action “{x}” taken"),
    "cond.action_not_taken": (
        "Maßnahme „{x}“ bis {t} nicht ergriffen",
        "action “{x}” not taken by {t}",
    ),
    "cond.hazard_started": ("Schadensereignis {x} hat begonnen", "hazard {x} started"),
    "cond.hazard_detected": ("Schadensereignis {x} entdeckt", "hazard {x} detected"),
    "cond.hazard_peak_passed": ("Scheitel von {x} überschritten", "hazard {x} passed its peak"),
    "cond.hazard_alarm": ("{x}: Alarmstufe {d} erreicht", "{x} reached alarm level {d}"),
    "cond.after": ("Übungszeit {t} erreicht", "exercise time {t} reached"),
    "cond.and": ("und", "and"),
    "cond.or": ("oder", "or"),
    "cond.not": ("nicht", "not"),
    "feed.trigger": ("Auslöser", "Trigger"),
    "feed.trigger_disarm": ("deaktiviert", "disarmed"),
    "feed.trigger_fire": ("von Hand ausgelöst", "fired by hand"),
    "feed.trigger_dismiss": ("Vorschlag verworfen", "suggestion dismissed"),
    "feed.trigger_fired": ("ausgelöst", "fired"),
    "inject.title": ("Einlagen", "Injects"),
    "inject.hazard": ("Schadensereignis", "Hazard"),
    "inject.hazard_title": ("Titel für die Teilnehmenden (optional)",
                            "Title for the participants (optional)"),
    "inject.hazard_title_hint": (
        "z. B. Auffällige Anmeldungen im Netz – leer: die Teilnehmenden lesen „{event}“, "
        "die Übungsleitung „{hazard}“",
        "e.g. Unusual log-ins on the network – empty: participants read “{event}”, "
        "the facilitator “{hazard}”",
    ),
    "inject.hazard_message": ("Meldung an die Teilnehmenden (optional)",
                              "Message to the participants (optional)"),
    "inject.type": ("Art", "Type"),
    "inject.send": ("Einlage einspielen", "Inject"),
    "inject.message": ("Lagemeldung an alle", "Message to everyone"),
    "inject.message_send": ("Meldung senden", "Send message"),
    "inject.optional": ("optional", "optional"),
    "inject.json_hint": ("JSON-Liste, leer lassen für keine", "a JSON list; leave empty for none"),
    "inject.choose": ("– wählen –", "– choose –"),
    "inject.default": ("Standard", "default"),
    # The hazard types' names, as the library's reports write them (one list).
    **{f"hazard.{kind}": names for kind, names in HAZARD_NAMES.items()},
    "field.assets": ("Ressourcen", "Assets"),
    "field.capacity": ("Restleistung (0–1)", "Remaining capacity (0–1)"),
    "field.duration": ("Dauer", "Duration"),
    "field.stages": ("Wiederversorgung in Stufen", "Restoration stages"),
    "field.stretch": ("Zeitfaktor der Wiederversorgung", "Restoration time factor"),
    "field.entry": ("Einfallstor", "Entry point"),
    "field.dwell": ("Verweildauer", "Dwell time"),
    "field.spread_time": ("Ausbreitungszeit", "Spread time"),
    "field.encrypt_time": ("Verschlüsselungszeit", "Encryption time"),
    "field.detect_after": ("Entdeckt nach", "Detected after"),
    "field.gauge": ("Pegel", "Gauge"),
    "field.hydrograph": ("Ganglinie", "Hydrograph"),
    "field.crest": ("Scheitel (m)", "Crest (m)"),
    "field.crest_at": ("Scheitel nach", "Crest after"),
    "field.alarms": ("Alarmstufen (m)", "Alarm levels (m)"),
    "field.triggers": ("Auslöser", "Triggers"),
    "field.fraction": ("Liefermenge (0–1)", "Delivered share (0–1)"),
    "field.ramp": ("Anlaufkurve", "Ramp"),
    "field.preset": ("Vorlage", "Preset"),
    "field.staff": ("Personalgruppen", "Staff pools"),
    "field.teams": ("Teams", "Teams"),
    "field.absence": ("Abwesenheit (0–1)", "Absence (0–1)"),
    "field.profile": ("Verlauf", "Profile"),
    "field.custom": ("oder eigene Werte (JSON)", "or custom values (JSON)"),
    "hazard_desc.outage": (
        "Ressourcen fallen sofort aus oder arbeiten eingeschränkt; mit Dauer "
        "kehren sie von selbst zurück, sonst über ihre Wiederherstellung.",
        "Assets go down or degrade at once; with a duration they come back by "
        "themselves, otherwise through their recovery.",
    ),
    "hazard_desc.power_failure": (
        "Netzeinspeisungen fallen für die Dauer aus oder werden in "
        "Stufen wiederversorgt (oder nach einer Vorlage).",
        "Grid feeds fail for the duration, or are restored in stages (or after a preset).",
    ),
    "hazard_desc.ransomware": (
        "Schadsoftware dringt am Einfallstor ein, breitet sich in der "
        "Vertrauensdomäne aus und verschlüsselt.",
        "Malware enters at the entry point, spreads through its trust domain and encrypts.",
    ),
    "hazard_desc.flood": (
        "Ein Pegelverlauf wird abgespielt; exponierte Ressourcen fallen ab ihrer Pegelhöhe aus.",
        "A gauge hydrograph is replayed; exposed assets go down above their level.",
    ),
    "hazard_desc.supply_break": (
        "Lieferanten oder Transportwege liefern nur einen Anteil, bis "
        "die Dauer oder Anlaufkurve endet.",
        "Suppliers or transport links deliver only a share until the duration or ramp ends.",
    ),
    "hazard_desc.staff_absence": (
        "Ein Anteil des Personals (und der Teams) fehlt für die Dauer oder nach einem Verlauf.",
        "A share of the staff (and teams) is absent for the duration or along a profile.",
    ),
    "decision.title": ("Entscheidungen", "Decisions"),
    "decision.propose_title": ("Maßnahme vorschlagen", "Propose an action"),
    # An anonymous participant (the role's link) belongs to no team: injects
    # addressed to teams reach them only through a personal link with a team.
    "participant.no_team": (
        "Sie nehmen ohne Team teil und sehen nur Einlagen an alle. Einlagen an Ihr Team "
        "erhalten Sie über einen persönlichen Link mit Ihrem Team: Die Übungsleitung "
        "erstellt ihn in der Karte „Teilnehmende“.",
        "You take part without a team and see only injects addressed to everyone. For your "
        "team's injects, ask the facilitator for a personal link with your team (the "
        "\"People\" card).",
    ),
    "decision.actions": ("Maßnahmen aus dem Szenario", "Actions from the scenario"),
    "decision.free": ("Freie Entscheidung", "Free-text decision"),
    "decision.record": ("Entscheidung festhalten", "Record decision"),
    "decision.propose": ("Vorschlagen", "Propose"),
    "decision.none": (
        "Das Szenario bietet keine vorbereiteten Maßnahmen.",
        "The scenario offers no prepared actions.",
    ),
    "proposal.title": ("Vorschläge", "Proposals"),
    "proposal.accept": ("Annehmen", "Accept"),
    "proposal.reject": ("Ablehnen", "Reject"),
    "proposal.open": ("offen", "open"),
    "proposal.accepted": ("angenommen", "accepted"),
    "proposal.rejected": ("abgelehnt", "rejected"),
    "proposal.none": ("Keine Vorschläge.", "No proposals."),
    "people.title": ("Teilnehmende", "People"),
    "people.name": ("Name", "Name"),
    "people.function": (
        "Funktion (z. B. Leiterin Krisenstab)",
        "Function (e.g. head of crisis team)",
    ),
    "people.team": ("Team", "Team"),
    "people.role": ("Rolle", "Role"),
    "people.add": ("Hinzufügen", "Add"),
    "people.hint": (
        "Jede Person erhält einen persönlichen Link, der sie im Protokoll nennt. Er wird nur "
        "in diesem Browser-Tab angezeigt: jetzt kopieren und weitergeben.",
        "Each person gets a personal link that names them in the log. It is shown in this "
        "browser tab only: copy it now and hand it on.",
    ),
    "people.copy": ("Link kopieren", "Copy link"),
    "people.reissue": ("Neuer Link", "New link"),
    "people.reissue_hint": (
        "Stellt einen neuen persönlichen Link aus; der bisherige öffnet nichts mehr.",
        "Issues a new personal link; the old one opens nothing any more.",
    ),
    "people.copied": ("Link kopiert", "Link copied"),
    "people.link": ("Persönlicher Link", "Personal link"),
    "people.joined": ("beigetreten", "joined"),
    "people.not_joined": ("noch nicht beigetreten", "not joined yet"),
    "people.active": ("aktiv", "active"),
    "people.entries": ("Einträge", "entries"),
    "people.none": ("Noch niemand benannt.", "No one named yet."),
    "people.no_team": ("ohne Team", "no team"),
    "people.team_none": (
        "Das Unternehmensmodell legt keine Teams fest: Personen sind ohne Team dabei.",
        "The company model defines no teams: people take part without a team.",
    ),
    "people.teams": ("Anwesenheit je Team", "Attendance per team"),
    "inject.teams": ("An Teams (ohne Auswahl: an alle)", "To teams (none selected: everyone)"),
    "feed.person": ("Person benannt", "Person named"),
    "feed.plan": ("Maßnahmenplan", "Improvement plan"),
    "observation.title": ("Beobachtungen", "Observations"),
    "observation.save": ("Notieren", "Note it"),
    "observation.hint": (
        "für die Nachbesprechung; nur Übungsleitung und Beobachtung sehen sie",
        "for the debrief; only facilitators and observers see them",
    ),
    # The objectives card (every role) and the Exercise Evaluation Guide
    # (facilitators and observers); HSEEP's rating scale in its own words.
    "console.objectives": ("Übungsziele", "Objectives"),
    "console.objectives_none": ("Das Szenario nennt keine Übungsziele.",
                                "The scenario names no objectives."),
    "console.obj.met": ("erreicht", "met"),
    "console.obj.held": ("bisher eingehalten", "held so far"),
    "console.obj.missed": ("verfehlt", "missed"),
    "console.obj.pending": ("offen", "pending"),
    "console.obj.rto_breached": ("WAZ überschritten bei {t}", "RTO breached at {t}"),
    "console.obj.mtpd_breached": ("MTA überschritten bei {t}", "MTPD breached at {t}"),
    "console.obj.rto_within": ("{below} unter dem Notbetriebsniveau, WAZ {limit}",
                               "{below} below the MBCO, RTO {limit}"),
    "console.obj.mtpd_within": ("{below} unter dem Notbetriebsniveau, MTA {limit}",
                                "{below} below the MBCO, MTPD {limit}"),
    "console.obj.rto_never": ("nie unter dem Notbetriebsniveau, WAZ {limit}",
                              "never below the MBCO, RTO {limit}"),
    "console.obj.mtpd_never": ("nie unter dem Notbetriebsniveau, MTA {limit}",
                               "never below the MBCO, MTPD {limit}"),
    "console.obj.still_out": ("noch nicht wiederhergestellt", "not restored yet"),
    "console.obj.impact": ("Schaden {impact} von {amount} zulässig",
                           "impact {impact} of {amount} allowed"),
    "console.obj.taken": ("„{action}“ entschieden bei {t}", "“{action}” taken at {t}"),
    "console.obj.taken_by": ("„{action}“ entschieden bei {t} von {who}",
                             "“{action}” taken at {t} by {who}"),
    "console.obj.due": ("„{action}“ bis {by} – noch nicht entschieden",
                        "“{action}” due by {by} – not taken yet"),
    "console.obj.not_taken": ("„{action}“ nicht bis {by} entschieden",
                              "“{action}” not decided by {by}"),
    "console.obj.data_lost": ("Datenverlust: {lost}", "data lost: {lost}"),
    "console.obj.no_data_lost": ("kein Datenverlust", "no data lost"),
    "console.obj.notes": ("Beobachtungen zu diesem Ziel", "Observations on this objective"),
    "console.eeg.title": ("Beobachtungsbogen (EEG)", "Exercise Evaluation Guide"),
    "console.eeg.text": ("Beobachtung", "Observation"),
    "console.eeg.objective": ("Übungsziel (optional)", "Objective (optional)"),
    "console.eeg.objective_none": ("– kein Übungsziel –", "– no objective –"),
    "console.eeg.tag": ("Einordnung", "Finding"),
    "console.eeg.tag.none": ("keine", "none"),
    "console.eeg.tag.strength": ("Stärke", "Strength"),
    "console.eeg.tag.improvement": ("Verbesserungspotenzial", "Area for improvement"),
    "console.eeg.rating": ("Bewertung (HSEEP)", "Rating (HSEEP)"),
    "console.eeg.rating.none": ("keine Bewertung", "no rating"),
    **{f"console.eeg.rating.{r}": (f"{r} – {de}", f"{r} – {en}")
       for r, (de, en) in RATING_NAMES.items()},  # HSEEP's scale, as the report says it
    "console.eeg.save": ("Beobachtung speichern", "Save observation"),
    "board.title": ("Geschäftsprozesse", "Business processes"),
    "board.process": ("Prozess", "Process"),
    "board.state": ("Zustand", "State"),
    "board.capacity": ("Leistung / Notbetriebsniveau", "Capacity / MBCO"),
    "board.rto": ("WAZ (RTO)", "RTO"),
    "board.mtpd": ("MTA (MTPD)", "MTPD"),
    "board.impact": ("Schaden", "Impact"),
    "board.left": ("noch", "left"),
    "board.over": ("überschritten seit", "breached for"),
    "board.mbco": ("Notbetriebsniveau", "MBCO"),
    "timeline.title": ("Ausfallzeitleiste", "Outage timeline"),
    "timeline.empty": ("Noch ist nichts ausgefallen.", "Nothing has failed yet."),
    "timeline.events": ("Ereignisse", "Events"),
    "timeline.now": ("jetzt", "now"),
    "impact.title": ("Schaden über die Zeit", "Impact over time"),
    # --- why is it down; the timeline's groups and BIA marks (issue 8) -------------
    "graph.why.title": ("Warum in diesem Zustand?", "Why in this state?"),
    "graph.why.title_down": ("Warum ausgefallen?", "Why is it down?"),
    "graph.why.title_degraded": ("Warum eingeschränkt?", "Why is it degraded?"),
    "graph.why.title_standby": ("Warum in Bereitschaft?", "Why on standby?"),
    "graph.why.title_up": ("Warum in Betrieb?", "Why is it up?"),
    "graph.why.hint": (
        "Eine Ressource oder einen Prozess anklicken (Graph, Ressourcen, Prozesstafel): die "
        "Kette der Ursachen bis zur Gefährdung oder Einlage.",
        "Click an asset or process (graph, assets, process board) for its chain of causes "
        "down to the hazard or inject.",
    ),
    "graph.why.close": ("Schließen", "Close"),
    "graph.why.at": ("Stand", "As of"),
    "graph.why.up": ("ist in Betrieb.", "is up."),
    "graph.why.since": ("seit", "since"),
    "graph.why.needs": ("braucht", "needs"),
    "graph.why.missing": ("fehlt", "missing"),
    "graph.why.all_of": ("alle {n} nötig", "all {n} needed"),
    "graph.why.any_of": ("1 von {n} genügt", "any 1 of {n}"),
    "graph.why.k_of_n": ("{k} von {n} nötig", "{k} of {n} needed"),
    "graph.why.covered": (
        "überbrückt durch Puffer {buffer}, noch {left}", "covered by buffer {buffer}, {left} left"
    ),
    "graph.why.empty": ("Puffer {buffer} leer seit {t}", "buffer {buffer} ran dry at {t}"),
    "graph.why.left": ("Puffer {buffer}: noch {left}", "buffer {buffer}: {left} left"),
    "graph.why.via_down": ("nicht nutzbar, {asset} ausgefallen", "unusable, {asset} is down"),
    "graph.why.by_down": ("kein Nachschub, {asset} ausgefallen", "no resupply, {asset} is down"),
    "graph.why.pending": ("wirkt erst nach {delay} – noch nicht", "bites after {delay} – not yet"),
    "graph.why.delay": ("nach einer Vorlaufzeit von {delay}", "after a time to impact of {delay}"),
    "graph.why.isolated": ("abgetrennt (isoliert)", "cut off (isolated)"),
    "graph.why.isolated_by": ("isoliert durch", "isolated by"),
    "graph.why.kind.hazard": ("Gefährdung", "Hazard"),
    "graph.why.kind.inject": ("Einlage", "Inject"),
    "graph.why.kind.decision": ("Entscheidung", "Decision"),
    "graph.why.kind.other": ("Ursache", "Cause"),
    "graph.why.lasting": ("bis zur Wiederherstellung", "until restored"),
    "graph.why.restart": (
        "Wiederanlauf: {d} nach Stillstand", "restarting: {d} after a stop"
    ),
    "graph.why.standby": ("Bereitschaft, nicht aktiviert", "standby, not activated"),
    "graph.why.workaround": ("Notbetrieb (Workaround) aktiv", "workaround active"),
    "graph.why.restoring": ("wird wiederhergestellt", "being restored"),
    "graph.why.truncated": ("… Kette gekürzt", "… chain cut short"),
    "graph.why.failed": ("Ursachen nicht abrufbar", "Cannot fetch the causes"),
    "timeline.group": ("Gruppieren", "Group"),
    "timeline.group.kind": ("nach Art", "by kind"),
    "timeline.group.site": ("nach Standort", "by site"),
    "timeline.group.none": ("nicht gruppieren", "no groups"),
    "timeline.affected": ("nur betroffene", "only affected"),
    "timeline.no_site": ("ohne Standort", "no site"),
    "timeline.processes": ("Geschäftsprozesse", "Business processes"),
    "timeline.groups": ("Gruppen auf-/zuklappen", "Expand or collapse groups"),
    "timeline.rto": ("WAZ (RTO)", "RTO"),
    "timeline.mtpd": ("MTA (MTPD)", "MTPD"),
    "timeline.alt": (
        "Zeitleiste: je Zeile eine Ressource oder eine Gruppe, Balken für Ausfälle; Striche "
        "markieren WAZ und MTA laufender Prozessausfälle.",
        "Timeline: one row per asset or group, bars for outages; ticks mark the RTO and "
        "MTPD of ongoing process outages.",
    ),
    "graph.title": ("Abhängigkeiten", "Dependencies"),
    "assets.title": ("Ressourcen", "Assets"),
    "assets.toggle": ("alle / nur gestörte", "all / only affected"),
    "feed.older": ("Ältere Einträge laden", "Load older entries"),
    "feed.event": ("Neues Ereignis", "New event"),
    "feed.title": ("Ereignisse", "Event feed"),
    "feed.empty": ("Noch keine Ereignisse.", "No events yet."),
    "state.up": ("in Betrieb", "up"),
    "state.degraded": ("eingeschränkt", "degraded"),
    "state.down": ("ausgefallen", "down"),
    "state.standby": ("Bereitschaft", "standby"),
    "kind.site": ("Standorte", "Sites"),
    "kind.utility": ("Versorgung", "Utilities"),
    "kind.equipment": ("Anlagen", "Equipment"),
    "kind.it_system": ("IT-Systeme", "IT systems"),
    "kind.application": ("Anwendungen", "Applications"),
    "kind.data": ("Daten", "Data"),
    "kind.supplier": ("Lieferanten", "Suppliers"),
    "kind.logistics": ("Logistik", "Logistics"),
    "kind.staff": ("Personal", "Staff"),
    "kind.business_process": ("Geschäftsprozesse", "Business processes"),
    "feed.clock": ("Uhr", "Clock"),
    "feed.inject": ("Einlage", "Inject"),
    "feed.message": ("Lagemeldung", "Message"),
    "feed.msel": ("Drehbuch", "Script"),
    "feed.release": ("Drehbuch", "Script"),
    "feed.skip": ("übersprungen", "skipped"),
    "feed.delay": ("verschoben", "delayed"),
    "feed.decision": ("Entscheidung", "Decision"),
    "feed.proposal": ("Vorschlag", "Proposal"),
    "feed.accept": ("Vorschlag angenommen", "Proposal accepted"),
    "feed.reject": ("Vorschlag abgelehnt", "Proposal rejected"),
    "feed.observation": ("Beobachtung", "Observation"),
    "feed.state": ("Lage", "Status"),
    "feed.hazard": ("Schadensereignis", "Hazard"),
    "feed.jump": ("Zeitsprung auf", "jumped to"),
    "feed.speed": ("Geschwindigkeit", "speed"),
    "feed.by": ("um", "by"),
    "feed.buffer_empty": ("Puffer erschöpft", "buffer ran dry"),
    "feed.data_loss": ("Datenverlust", "data lost"),
    "feed.restored": ("wiederhergestellt", "restored"),
    "command.down": ("Ausfall", "down"),
    "command.degrade": ("Einschränkung", "degrade"),
    "command.restore": ("Wiederherstellen", "restore"),
    "command.activate_standby": ("Bereitschaft aktivieren", "activate standby"),
    "command.deactivate_standby": ("Bereitschaft beenden", "deactivate standby"),
    "command.start_workaround": ("Ersatzlösung starten", "start workaround"),
    "command.stop_workaround": ("Ersatzlösung beenden", "stop workaround"),
    "command.isolate": ("Trennen (isolieren)", "isolate"),
    "command.reconnect": ("Wieder verbinden", "reconnect"),
    "command.add_team": ("Team verstärken", "add team"),
    "command.message": ("Lagemeldung", "message"),
    "command.hazard": ("Schadensereignis", "hazard"),
    "command.detect": ("Angriff entdeckt", "detect"),
    # Buffers have ids only; the common ones get a name (others show their id).
    "buffer.ups": ("USV", "UPS"),
    "buffer.battery": ("Batterie", "battery"),
    "buffer.diesel": ("Dieselvorrat", "diesel"),
    "buffer.fuel": ("Kraftstoffvorrat", "fuel"),
    "buffer.tank": ("Tankvorrat", "tank"),
    "buffer.depot_tank": ("Tankvorrat des Depots", "depot tank"),
    "buffer.depot_generator": ("Notstrom des Depots", "depot generator"),
    "buffer.stock": ("Lagerbestand", "stock"),
    "buffer.silo_stock": ("Silobestand", "silo stock"),
    "buffer.co2_tank": ("CO₂-Tank", "CO₂ tank"),
    "buffer.film_stock": ("Folienvorrat", "film stock"),
    "buffer.cup_stock": ("Bechervorrat", "cup stock"),
    "buffer.carton_stock": ("Kartonvorrat", "carton stock"),
    "done.sent": ("Gesendet", "Sent"),
    # A refused request (the server said no) is not a rejected proposal (a
    # facilitator's decision): the toast says which it was.
    "done.failed": ("Anfrage abgelehnt", "Request refused"),
    "done.offline": ("keine Verbindung zum Server", "no connection to the server"),
    "done.bad_json": ("kein gültiges JSON", "not valid JSON"),
    "http.401": ("gültiger Zugangslink nötig", "a valid access link is needed"),
    "http.403": ("für diese Rolle nicht erlaubt", "not allowed for this role"),
    "http.404": ("diese Übung gibt es nicht (mehr)", "there is no such exercise"),
    "http.409": ("Konflikt mit einer anderen Anfrage", "conflicts with another request"),
    "http.413": ("Anfrage zu groß", "request too large"),
    "http.429": ("zu viele Anfragen – bitte kurz warten", "too many requests – please wait"),
    "http.503": (
        "Server vorübergehend nicht verfügbar",
        "server temporarily unavailable",
    ),
    "http.other": ("Fehler des Servers", "server error"),
    # --- the console in a real room: overtime, summary, filters, accessibility ------
    "a11y.skip": ("Zum Inhalt springen", "Skip to the content"),
    "console.ended_title": ("Die Übung ist beendet", "The exercise has ended"),
    "console.ended_text": (
        "Die simulierte Zeit hat das Ende des Übungszeitraums erreicht: {end} ({t}).",
        "The simulated time has reached the end of the exercise: {end} ({t}).",
    ),
    "console.summary": ("Bilanz je Geschäftsprozess", "Summary per business process"),
    "console.summary_total": ("Summe", "Total"),
    "console.extend_hint": (
        "Die Übung kann verlängert werden (Nachspielzeit); die Uhr steht dann "
        "angehalten bereit.",
        "You can extend the exercise (overtime); the clock then waits, paused.",
    ),
    "board.downtime": ("Ausfallzeit", "Downtime"),
    "board.below_mbco": ("unter Notbetriebsniveau", "Below MBCO"),
    "board.rto_breached": ("WAZ überschritten", "RTO breached"),
    "board.mtpd_breached": ("MTA überschritten", "MTPD breached"),
    "board.yes": ("ja", "yes"),
    "board.no": ("nein", "no"),
    "clock.extend": ("Verlängern um", "Extend by"),
    "clock.extend_go": ("Übung verlängern", "Extend the exercise"),
    "clock.ends": ("Ende", "Ends"),
    "clock.speed_set": ("Setzen", "Set"),
    "clock.speed_range": ("1 bis 1440", "1 to 1440"),
    "clock.ended_button": ("Beendet", "Ended"),
    "clock.ended_hint": (
        "Die Übung ist beendet; zum Weiterspielen den Übungszeitraum verlängern.",
        "The exercise has ended; extend the horizon to go on.",
    ),
    # The hazard catalogue's presets by name (the form's choices, never the ids).
    "preset.koepenick-2019": ("Stromausfall Köpenick 2019 (31 Std.)",
                              "Köpenick blackout 2019 (31 h)"),
    "preset.co2-2022": ("CO₂-Engpass 2022 (6 Wochen 35 %)", "CO₂ shortage 2022 (6 weeks at 35 %)"),
    "preset.renesas-2021": ("Chip-Engpass Renesas 2021 (3 Monate)",
                            "Renesas chip shortage 2021 (3 months)"),
    "preset.pandemic-wave": ("Pandemiewelle (3 Wochen 15 %)", "Pandemic wave (3 weeks at 15 %)"),
    "preset.severe-pandemic": ("Schwere Pandemie (8 Wochen, Spitze 50 %)",
                               "Severe pandemic (8 weeks, peak 50 %)"),
    "preset.dresden-2002": ("Elbehochwasser Dresden 2002", "Elbe flood Dresden 2002"),
    "preset.dresden-2013": ("Elbehochwasser Dresden 2013", "Elbe flood Dresden 2013"),
    "unfit.flood": (
        "Hochwasser braucht eine Ressource an einem Hochwasserpegel; das Unternehmensmodell "
        "hat keine",
        "a flood needs an asset exposed to a flood gauge; the company model has none",
    ),
    "msel.released_at": ("eingespielt", "released"),
    "msel.due_was": ("geplant", "planned"),
    "msel.teams": ("an", "to"),
    "msel.sender": ("von", "from"),
    # how an inject reaches the team (the MSEL's `method`, free text; these are
    # the usual ones, by their key: lower case, spaces and hyphens as "_")
    "msel.method.phone": ("Telefon", "phone"),
    "msel.method.e_mail": ("E-Mail", "e-mail"),
    "msel.method.email": ("E-Mail", "e-mail"),
    "msel.method.in_person": ("persönlich", "in person"),
    "msel.method.radio": ("Funk", "radio"),
    "msel.method.letter": ("Brief", "letter"),
    "msel.method.fax": ("Fax", "fax"),
    "msel.method.sms": ("SMS", "text message"),
    "msel.method.messenger": ("Messenger", "messenger"),
    "msel.method.press": ("Presse", "press"),
    "msel.method.social_media": ("soziale Medien", "social media"),
    "msel.expected": ("Erwartete Maßnahme", "Expected action"),
    "msel.controller": ("Steuerung", "Controller"),
    "msel.notes": ("Hinweis für die Steuerung", "Note for control"),
    "msel.event_type.contextual": ("Lageeinlage", "Contextual"),
    "msel.event_type.expected_action": ("Einlage mit erwarteter Handlung", "Expected action"),
    "msel.event_type.contingency": ("Reserveeinlage", "Contingency"),
    "console.eeg.expected": ("Erwartet laut Drehbuch", "Expected by the script"),
    "feed.filter": ("Anzeigen", "Show"),
    "feed.filter_all": ("alles", "everything"),
    "feed.filter_injects": ("Einlagen", "Injects"),
    "feed.filter_decisions": ("Entscheidungen und Vorschläge", "Decisions and proposals"),
    "feed.filter_states": ("Lage und Zustände", "States and records"),
    "console.alt_timeline": (
        "Zeitleiste: {n} Ressourcen waren oder sind beeinträchtigt, {down} davon jetzt "
        "ausgefallen; {marks} Einlagen, Schadensereignisse und Entscheidungen.",
        "Timeline: {n} assets have been affected, {down} of them down now; {marks} "
        "injects, hazards and decisions.",
    ),
    "console.alt_graph": (
        "Abhängigkeitsgraph: {n} Ressourcen, {edges} Abhängigkeiten; ausgefallen: {list}.",
        "Dependency graph: {n} assets, {edges} dependencies; down: {list}.",
    ),
    "console.alt_impact": (
        "Schaden über die Zeit: bisher {total} bis {t}.",
        "Impact over time: {total} so far, up to {t}.",
    ),
    "console.alt_none": ("keine", "none"),
    # --- the replay page (managers) ----------------------------------------------
    # --- the after-action report and the improvement plan (web/routers/report.py)
    "report.title": ("Übungsbericht", "After-action report"),
    "report.pdf": ("Übungsbericht (PDF)", "After-action report (PDF)"),
    "report.html": ("Übungsbericht (HTML)", "After-action report (HTML)"),
    "report.plan_csv": ("Maßnahmenplan (CSV)", "Improvement plan (CSV)"),
    "report.plan_xlsx": ("Maßnahmenplan (XLSX)", "Improvement plan (XLSX)"),
    "report.hint": (
        "Der Bericht gibt den Stand der Übung wieder und schreibt ihn bis zum Szenario-Horizont "
        "fort (als Fortschreibung gekennzeichnet); erst den Maßnahmenplan ergänzen.",
        "The report shows the exercise as it stands and projects it to the scenario's horizon "
        "(marked as projected); complete the improvement plan first.",
    ),
    "plan.title": ("Maßnahmenplan", "Improvement plan"),
    "plan.issue": ("Feststellung", "Issue"),
    "plan.action": ("Maßnahme", "Corrective action"),
    "plan.objective": ("Übungsziel / Fähigkeit", "Objective / capability"),
    "plan.owner": ("Verantwortlich", "Owner"),
    "plan.due": ("Termin", "Due date"),
    "plan.status": ("Stand", "Status"),
    "plan.status.open": ("offen", "open"),
    "plan.status.in_progress": ("in Arbeit", "in progress"),
    "plan.status.done": ("erledigt", "done"),
    "plan.status.dropped": ("verworfen", "dropped"),
    "plan.save": ("Maßnahme speichern", "Save the action"),
    "plan.new": ("Neue Maßnahme", "New action"),
    "plan.edit": ("Bearbeiten", "Edit"),
    "plan.editing": ("Bearbeitet wird", "Editing"),
    "plan.empty": ("Noch keine Maßnahmen.", "No corrective actions yet."),
    "replay.title": ("Rückblick", "Replay"),
    "replay.link": ("Rückblick öffnen", "Open the replay"),
    "clock.replay": ("Rückblick", "replay"),
    "replay.play": ("Abspielen", "Play"),
    "replay.pause": ("Anhalten", "Pause"),
    "replay.speed": ("Tempo", "Speed"),
    "replay.speed_10min": ("10 Min. je Sekunde", "10 min per second"),
    "replay.speed_1h": ("1 Std. je Sekunde", "1 h per second"),
    "replay.speed_6h": ("6 Std. je Sekunde", "6 h per second"),
    "replay.speed_1d": ("1 Tag je Sekunde", "1 day per second"),
    "replay.scrub": ("Simulierte Zeit wählen", "Choose the simulated time"),
    "replay.until": ("Stand der Übung:", "The exercise stands at"),
    "replay.failed": ("Rückblick nicht möglich", "Replay failed"),
    "replay.players": (
        "Teilnehmende sehen keinen Rückblick: Er zeigt das Drehbuch und die Beobachtungen.",
        "Participants do not see the replay: it shows the script and the observations.",
    ),
    "replay.damaged": (
        "Diese Übung ist beschädigt und kann nicht zurückgespielt werden.",
        "This exercise is damaged and cannot be replayed.",
    ),
    "replay.whatif_title": (
        "Was wäre, wenn … · Wert der Entscheidungen",
        "What if … · Value of each decision",
    ),
    # --- what if, and the value of each decision (replay page) ---------------------
    "whatif.title": ("Was wäre, wenn …", "What if …"),
    "whatif.button": ("Was wäre, wenn …", "What if …"),
    "whatif.button_label": ("Was wäre, wenn bei Eintrag {seq} anders entschieden worden wäre",
                            "What if entry {seq} had been decided otherwise"),
    "whatif.intro": (
        "Eine Entscheidung weglassen, durch eine andere Maßnahme ersetzen, zu einer anderen "
        "Zeit treffen oder eine Maßnahme hinzufügen: Beide Verläufe werden bis zum Übungsende "
        "durchgespielt und je Geschäftsprozess verglichen. „Was wäre, wenn …“ im Verlauf "
        "wählt eine Entscheidung aus.",
        "Leave a decision out, replace it with another action, take it at another time, or "
        "add an action: both courses are played to the end of the exercise and compared per "
        "business process. “What if …” in the feed picks a decision.",
    ),
    "whatif.change": ("Änderung", "Change"),
    "whatif.seq": ("Eintrag Nr.", "Entry no."),
    "whatif.drop": ("Entscheidung weglassen", "Leave the decision out"),
    "whatif.replace": ("durch eine andere Maßnahme ersetzen", "Replace it with another action"),
    "whatif.move": ("zu einer anderen Zeit treffen", "Take it at another time"),
    "whatif.add": ("eine Maßnahme hinzufügen", "Add an action"),
    "whatif.action": ("Maßnahme", "Action"),
    "whatif.at": ("Zeitpunkt seit Übungsbeginn (z. B. 5h)", "Time since the start (e.g. 5h)"),
    "whatif.n": ("Durchläufe (Monte Carlo, 1 = nur dieser Verlauf)",
                 "Replications (Monte Carlo, 1 = this course only)"),
    "whatif.run": ("Vergleichen", "Compare"),
    "whatif.running": ("Wird durchgespielt …", "Playing it out …"),
    "whatif.failed": ("Vergleich nicht möglich", "What-if failed"),
    "whatif.did_drop": ("Ohne Eintrag {seq}", "Without entry {seq}"),
    "whatif.did_replace": ("Eintrag {seq} ersetzt durch „{action}“",
                           "Entry {seq} replaced by “{action}”"),
    "whatif.did_move": ("Eintrag {seq} bei {at}", "Entry {seq} at {at}"),
    "whatif.did_add": ("Zusätzlich „{action}“ bei {at}", "“{action}” added at {at}"),
    "whatif.table": ("Unterschiede je Geschäftsprozess: wie gespielt → geändert",
                     "Differences per business process: as played → changed"),
    "whatif.process": ("Geschäftsprozess", "Business process"),
    "whatif.downtime": ("Ausfall (Std.)", "Down (h)"),
    "whatif.below_mbco": ("unter Notbetriebsniveau (Std.)", "Below MBCO (h)"),
    "whatif.breach_h": ("über der WAZ (Std.)", "Beyond the RTO (h)"),
    "whatif.rto": ("WAZ überschritten", "RTO breached"),
    "whatif.mtpd": ("MTA überschritten", "MTPD breached"),
    "whatif.data_loss": ("Datenverlust (Std.)", "Data lost (h)"),
    "whatif.impact_original": ("Schaden wie gespielt", "Impact as played"),
    "whatif.impact_changed": ("Schaden geändert", "Impact changed"),
    "whatif.impact_diff": ("Δ Schaden", "Δ impact"),
    "whatif.total": ("Alle Prozesse", "All processes"),
    "whatif.script": ("Ein anderes Drehbuch: Auslöser nur wie gespielt: {a}; nur mit der "
                      "Änderung: {b}",
                      "Another script: triggers fired only as played: {a}; only with the "
                      "change: {b}"),
    "whatif.yes": ("ja", "yes"),
    "whatif.no": ("nein", "no"),
    "whatif.as_played": ("wie gespielt", "as played"),
    "whatif.changed": ("geändert", "changed"),
    "whatif.curves": ("Schaden über die Zeit: wie gespielt und geändert",
                      "Impact over time: as played and changed"),
    "whatif.curves_alt": ("Schaden über die Zeit bis zum Übungsende: wie gespielt {a}, "
                          "geändert {b}.",
                          "Impact over time to the end of the exercise: as played {a}, "
                          "changed {b}."),
    "whatif.mc": ("Monte Carlo: {n} Durchläufe mit gemeinsamen Zufallszahlen (95-%-Intervalle)",
                  "Monte Carlo: {n} replications on common random numbers (95% intervals)"),
    "whatif.p_rto": ("P(WAZ überschritten)", "P(RTO breach)"),
    "whatif.p_mtpd": ("P(MTA überschritten)", "P(MTPD breach)"),
    "whatif.impact_mean": ("Schaden im Mittel", "Mean impact"),
    "whatif.diff_mean": ("Δ Schaden im Mittel", "Δ mean impact"),
    "whatif.diff_p95": ("Δ Schaden P95", "Δ impact P95"),
    "values.title": ("Wert der Entscheidungen", "Value of each decision"),
    "values.intro": (
        "Jede Entscheidung im Vergleich zur Übung ohne sie (und, wo möglich, zur selben "
        "Maßnahme bei der ersten Einlage), bis zum Übungsende durchgespielt.",
        "Each decision against the exercise without it (and, where it could have been, the "
        "same action at the first inject), played to the end of the exercise.",
    ),
    "values.loading": ("Wird berechnet …", "Working it out …"),
    "values.none": ("Bisher keine Entscheidung mit einer Maßnahme aus dem Katalog.",
                    "No decision with a catalogue action so far."),
    "values.failed": ("Wert der Entscheidungen nicht verfügbar",
                      "Decision values unavailable"),
    "values.seq": ("Nr.", "No."),
    "values.at": ("Zeit", "Time"),
    "values.decision": ("Entscheidung", "Decision"),
    "values.avoided": ("vermiedener Schaden", "Impact avoided"),
    "values.breach": ("vermieden über der WAZ (Std.)", "Hours beyond the RTO avoided"),
    "values.breaches": ("vermiedene Verstöße WAZ / MTA", "Breaches avoided RTO / MTPD"),
    "values.earlier": ("bei der ersten Einlage zusätzlich", "At the first inject, further"),
    "values.sentence": ("Wirkung", "Effect"),
    # the expected format of every duration field, as its title (QA 8: the browser's
    # own "Please match the requested format." names none)
    "clock.duration_format": ("Dauer mit Einheit, z. B. 90 Min, 1,5 Std, 2 Tage",
                              "A duration with its unit, e.g. 90min, 1.5h, 2d"),
}


def pick_lang(request: Request) -> tuple[str, bool]:
    """The page language, and whether it was chosen explicitly (set the cookie)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGS:
        return cookie, False
    return from_accept_language(request.headers.get("accept-language", "")), False


def from_accept_language(header: str) -> str:
    """German when the browser ranks de above en (and any other language), else English."""
    best, best_q = "en", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if not primary:
            continue
        if q > best_q:  # the first of equally ranked languages wins
            best, best_q = primary, q
    return "de" if best == "de" else "en"


def translator(lang: str) -> Translate:
    return Translate(lang)


CONSOLE_TEXTS = ("clock.", "msel.", "inject.", "hazard.", "decision.", "proposal.", "board.",
                 "timeline.", "impact.", "state.", "kind.", "feed.", "done.", "console.",
                 "role.", "field.", "graph.", "hazard_desc.", "http.", "command.", "buffer.",
                 "people.", "preset.")  # fmt: skip
"""Prefixes of the texts the console's script draws with (live page and replay)."""

SCRIPT_TEXTS = ("trigger.", "suggest.", "cond.")
"""The script's words (triggers, their conditions): never on a participant's page."""


class Translate:
    """`t("key")` in templates; unknown keys show as themselves (easy to spot)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.index = 0 if lang == "de" else 1

    def __call__(self, key: str) -> str:
        pair = TEXTS.get(key)
        return key if pair is None else pair[self.index]

    def text(self, key: str) -> str | None:
        """The text of `key`, None if there is none (for optional overrides)."""
        pair = TEXTS.get(key)
        return None if pair is None else pair[self.index]

    def subset(self, prefixes: tuple[str, ...]) -> dict[str, str]:
        """The texts whose keys start with one of `prefixes` (for the page's script)."""
        return {k: v[self.index] for k, v in TEXTS.items() if k.startswith(prefixes)}
