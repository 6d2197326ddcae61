"""The BIA workbook format, as data: its sheets and columns, written once and
used by the template, the reader (`bia_read`) and the writer (`bia_write`).

A BCM team keeps its business impact analysis in a spreadsheet: one row per
business process with its RTO (WAZ), MTPD (MTA), MBCO (Notbetriebsniveau) and
impact, one row per resource, one row per dependency. The workbook has these
sheets (German name / English name):

- Unternehmen / Company: one row, the company's id and name;
- Prozesse / Processes: business processes (and any asset with BIA figures);
- Ressourcen / Resources: every other asset (sites, utilities, IT, staff, …);
- Abhängigkeiten / Dependencies: one row per provider of a need (from, to,
  type, need id = redundancy group, mode all/any/k, k, share, delay);
- Teams: recovery teams and their size;
- Puffer / Buffers: stored cover of a need (UPS, diesel, stock);
- Schadensverlauf / Impact: the impact step curve of a process (after, EUR/h).

Each column has a German and an English header, aliases (BSI 200-4 and
practitioners' spellings: WAZ, MTA, Notbetriebsniveau, …), the path of its
value in the company's data (relative to the row's object), its type and a
comment in both languages. Headers match case- and accent-insensitively; a
unit in brackets (`RTO (h)`, `MTA [Std.]`) is ignored when the full header is
not itself a known one.

A text in both languages (a name, a description) takes three columns: one for
a text that is the same in both languages, one each for German and English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from simulator.terms.kinds import KIND_NAMES, AssetKind


class Type(StrEnum):
    """How a column's cells are read and written."""

    text = "text"  # free text
    id = "id"  # an identifier (letters, digits, _ . : -)
    ids = "ids"  # identifiers separated by commas, semicolons or line breaks
    duration = "duration"  # "4h", "2 Tage", "1d12h" (a unit is required)
    fraction = "fraction"  # 0..1 or a percentage "60 %"
    number = "number"
    eur = "eur"  # euros (per hour)
    integer = "integer"
    kind = "kind"  # asset kind
    utility = "utility"  # power, network, …
    dep_type = "dep_type"  # physical, cyber, geographic, logical
    mode = "mode"  # all, any, k
    dist = "dist"  # fixed, triangular, uniform, lognormal


@dataclass(frozen=True)
class Choice:
    """One value of an enumerated column, as stored and as shown."""

    value: str
    de: str
    en: str
    aliases: tuple[str, ...] = ()


CHOICES: dict[Type, tuple[Choice, ...]] = {
    Type.kind: tuple(Choice(kind.value, de, en) for kind, (de, en) in KIND_NAMES.items()),
    Type.utility: (
        Choice("power", "Strom", "power", ("Energie", "Elektrizität")),
        Choice("network", "Netzwerk", "network", ("Netz", "WAN", "Internet")),
        Choice("telecom", "Telekommunikation", "telecom", ("Telefon", "TK")),
        Choice("water", "Wasser", "water"),
        Choice("heat", "Wärme", "heat", ("Dampf", "Fernwärme")),
        Choice("gas", "Gas", "gas", ("Erdgas",)),
        Choice("fuel", "Kraftstoff", "fuel", ("Diesel", "Brennstoff")),
    ),
    Type.dep_type: (
        Choice("physical", "physisch", "physical", ("Material", "Energie")),
        Choice("cyber", "Cyber", "cyber", ("IT", "Information", "Daten")),
        Choice("geographic", "geografisch", "geographic", ("geographisch", "räumlich")),
        Choice("logical", "logisch", "logical", ("organisatorisch", "vertraglich")),
    ),
    Type.mode: (
        Choice("all", "alle", "all", ("all_of", "und", "and")),
        Choice("any", "eine von", "any", ("any_of", "oder", "or", "redundant", "eine")),
        Choice("k", "k von n", "k of n", ("k_of_n", "k aus n", "k-von-n")),
    ),
    Type.dist: (
        Choice("fixed", "fest", "fixed", ("fix", "konstant")),
        Choice("triangular", "Dreieck", "triangular", ("Dreiecksverteilung",)),
        Choice("uniform", "gleichverteilt", "uniform", ("Gleichverteilung",)),
        Choice("lognormal", "lognormal", "lognormal", ("Lognormalverteilung",)),
    ),
}
"""The values of the enumerated columns: the stored value, its German and
English label (what the drop-down offers) and further spellings accepted."""


@dataclass(frozen=True)
class Column:
    """One column: headers, where its value goes, how it is read, what it means."""

    key: str  # stable name within its sheet
    de: str  # German header
    en: str  # English header
    path: tuple[str, ...]  # where the value goes, relative to the row's object
    type: Type
    comment_de: str
    comment_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the template says so; the schema decides

    def header(self, lang: str) -> str:
        return self.de if lang == "de" else self.en

    def comment(self, lang: str) -> str:
        return self.comment_de if lang == "de" else self.comment_en


@dataclass(frozen=True)
class Sheet:
    key: str
    de: str
    en: str
    columns: tuple[Column, ...]
    required: bool
    comment_de: str
    comment_en: str
    aliases: tuple[str, ...] = ()
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    def name(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


def _c(key: str, de: str, en: str, path: str, type: Type, comment_de: str, comment_en: str,
       *aliases: str, required: bool = False) -> Column:  # fmt: skip
    return Column(key, de, en, tuple(path.split(".")) if path else (), type, comment_de,
                  comment_en, aliases, required)  # fmt: skip


def _localized(key: str, de: str, en: str, path: str, what_de: str, what_en: str,
               *aliases: str) -> tuple[Column, ...]:  # fmt: skip
    """A text in both languages: one column for a text the same in both, one
    each for German and English (a model may hold either form)."""
    return (
        _c(key, de, en, path, Type.text, f"{what_de} (gleich in beiden Sprachen)",
           f"{what_en} (the same in both languages)", *aliases),
        _c(f"{key}_de", f"{de} (de)", f"{en} (de)", f"{path}.de", Type.text,
           f"{what_de} auf Deutsch", f"{what_en} in German"),
        _c(f"{key}_en", f"{de} (en)", f"{en} (en)", f"{path}.en", Type.text,
           f"{what_de} auf Englisch", f"{what_en} in English"),
    )  # fmt: skip


_KIND_HELP_DE = "Art der Ressource: " + ", ".join(de for de, _ in KIND_NAMES.values())
_KIND_HELP_EN = "Kind of asset: " + ", ".join(en for _, en in KIND_NAMES.values())

_ASSET_HEAD = (
    _c("id", "ID", "ID", "id", Type.id,
       "Eindeutige Kennung (Buchstaben, Ziffern, _ . : -); auf sie verweisen Abhängigkeiten",
       "Unique id (letters, digits, _ . : -); dependencies refer to it",
       "Kürzel", "Prozess-ID", "Ressourcen-ID", "Kennung", "Process ID", "Resource ID",
       required=True),
    _c("kind", "Art", "Kind", "kind", Type.kind, _KIND_HELP_DE, _KIND_HELP_EN,
       "Ressourcenkategorie", "Kategorie", "Typ", "Resource category", "Category"),
    *_localized("name", "Bezeichnung", "Name", "name", "Name", "Name",
                "Geschäftsprozess", "Ressource", "Business process", "Resource"),
    _c("location", "Standort", "Site", "location", Type.id,
       "ID des Standorts (eine Ressource der Art Standort)",
       "Id of the site it stands on (an asset of kind site)", "Location", "Ort"),
)  # fmt: skip

_BIA = (
    _c("rto", "WAZ (RTO)", "RTO (WAZ)", "bia.rto", Type.duration,
       "Wiederanlaufzeit: Ziel, bis wann mindestens das Notbetriebsniveau wieder erreicht "
       "ist, z. B. 4h, 1 Tag", "Recovery time objective: time to resume at least the MBCO, "
       "e.g. 4h, 1d", "RTO", "WAZ", "Wiederanlaufzeit", "geforderte Wiederanlaufzeit",
       "Recovery time objective", required=True),
    _c("mtpd", "MTA (MTPD)", "MTPD (MTA)", "bia.mtpd", Type.duration,
       "Maximal tolerierbare Ausfallzeit; die WAZ liegt darin", "Maximum tolerable period "
       "of disruption; the RTO lies within it", "MTPD", "MTA", "MTPoD", "MTD",
       "maximal tolerierbare Ausfallzeit", "Maximum tolerable period of disruption",
       required=True),
    _c("mbco", "Notbetriebsniveau (MBCO)", "MBCO (Notbetriebsniveau)", "bia.mbco",
       Type.fraction, "Mindestkapazität im Notbetrieb, z. B. 60 % (Vorgabe 50 %)",
       "Minimum business continuity objective: capacity of emergency operation, e.g. 60 % "
       "(default 50 %)", "MBCO", "Notbetriebsniveau", "Wiederanlauf-Niveau", "Mindestniveau",
       "Minimum operating level"),
    _c("rpo", "RPO (max. Datenverlust)", "RPO (max. data loss)", "bia.rpo", Type.duration,
       "Maximal zulässiger Datenverlust, z. B. 1h", "Recovery point objective: tolerable "
       "data loss, e.g. 1h", "RPO", "maximal zulässiger Datenverlust", "MTDV",
       "Recovery point objective"),
    _c("impact_per_hour", "Schaden je Stunde (EUR)", "Impact per hour (EUR)",
       "bia.impact_per_hour", Type.eur, "Schaden je Stunde Totalausfall in Euro; oder ein "
       "Schadensverlauf im Blatt Schadensverlauf, nicht beides", "Impact per hour of a full "
       "outage in euros; or a step curve in the sheet Impact, not both",
       "Schaden pro Stunde", "Schaden/h", "EUR/h", "Impact/h", "Impact per hour"),
)  # fmt: skip

_ASSET_TAIL = (
    _c("utility", "Versorgungsart", "Utility", "utility", Type.utility,
       "Bei Versorgungen: Strom, Netzwerk, Telekommunikation, Wasser, Wärme, Gas, Kraftstoff",
       "For utilities: power, network, telecom, water, heat, gas, fuel", "Versorgung"),
    _c("recovery_time", "Wiederherstellungszeit", "Recovery time", "recovery.time",
       Type.duration, "Zeit, die Wiederherstellung nach einem Schaden dauert (fest; bei einer "
       "Verteilung der wahrscheinlichste Wert bzw. der Median)", "Time to restore after "
       "damage (fixed; with a distribution its mode or median)", "Wiederherstellung",
       "Restore time", "MTW"),
    _c("recovery_dist", "Verteilung", "Distribution", "recovery.time.dist", Type.dist,
       "Leer oder fest: feste Zeit; Dreieck (Min, Wiederherstellungszeit, Max), "
       "gleichverteilt (Min, Max), lognormal (Median = Wiederherstellungszeit, Sigma)",
       "Empty or fixed: a fixed time; triangular (min, recovery time, max), uniform (min, "
       "max), lognormal (median = recovery time, sigma)"),
    _c("recovery_min", "Wiederherstellung min", "Recovery min", "recovery.time.min",
       Type.duration, "Kürzeste Wiederherstellungszeit (Dreieck, gleichverteilt)",
       "Shortest recovery time (triangular, uniform)"),
    _c("recovery_max", "Wiederherstellung max", "Recovery max", "recovery.time.max",
       Type.duration, "Längste Wiederherstellungszeit (Dreieck, gleichverteilt)",
       "Longest recovery time (triangular, uniform)"),
    _c("recovery_sigma", "Sigma", "Sigma", "recovery.time.sigma", Type.number,
       "Streuung des Logarithmus (lognormal), z. B. 0,5", "Sigma of the log (lognormal), "
       "e.g. 0.5"),
    _c("recovery_team", "Wiederherstellungsteam", "Recovery team", "recovery.team", Type.id,
       "ID des Teams (Blatt Teams), das die Wiederherstellung ausführt",
       "Id of the team (sheet Teams) that restores it", "Team"),
    _c("recovery_requires", "Wiederherstellung braucht", "Recovery requires",
       "recovery.requires", Type.ids, "IDs der Ressourcen, die vor der Wiederherstellung "
       "laufen müssen (durch Komma getrennt)", "Ids of the assets that must be up before the "
       "restore starts (comma-separated)"),
    _c("restart", "Wiederanlauf", "Restart", "restart", Type.duration,
       "Zeit bis zum Wiederanlauf nach jedem Stillstand", "Time to come back after any stop",
       "Anlaufzeit", "Restart time"),
    _c("standby_lead_time", "Bereitschaft Vorlaufzeit", "Standby lead time",
       "standby.lead_time", Type.duration, "Nur für Reserven (Ausweichstandort, "
       "Zweitlieferant): Zeit von der Aktivierung bis zur Verfügbarkeit",
       "Only for reserves (DR site, alternate supplier): time from activation to up"),
    _c("standby_capacity", "Bereitschaft Kapazität", "Standby capacity", "standby.capacity",
       Type.fraction, "Kapazität der aktivierten Reserve, z. B. 100 %",
       "Capacity of the activated reserve, e.g. 100 %"),
    _c("backup_interval", "Sicherungsintervall", "Backup interval", "backup.interval",
       Type.duration, "Daten: Abstand der Sicherungen, z. B. 1d", "Data: time between "
       "backups, e.g. 1d", "Backup"),
    _c("backup_offset", "Sicherung Versatz", "Backup offset", "backup.offset", Type.duration,
       "Zeitpunkt der Sicherung im Intervall, z. B. 22h", "When in the interval the backup "
       "is taken, e.g. 22h"),
    _c("backup_domain", "Sicherung Vertrauensbereich", "Backup trust domain",
       "backup.domain", Type.id, "Vertrauensbereich (AD-Domäne) des Sicherungsspeichers; "
       "leer: offline/unveränderlich", "Trust domain (AD domain) of the backup store; empty: "
       "offline/immutable"),
    _c("backup_offline", "Offline-Sicherungsintervall", "Offline backup interval",
       "backup.offline_interval", Type.duration, "Abstand der Offline-Kopien",
       "Time between offline copies"),
    _c("workaround_capacity", "Workaround Kapazität", "Workaround capacity",
       "workaround.capacity", Type.fraction, "Kapazität einer manuellen Ersatzlösung, "
       "z. B. 30 %", "Capacity of a manual workaround, e.g. 30 %", "Notbetrieb Kapazität"),
    _c("workaround_lead_time", "Workaround Vorlaufzeit", "Workaround lead time",
       "workaround.lead_time", Type.duration, "Zeit bis die Ersatzlösung läuft",
       "Time until the workaround runs"),
    _c("workaround_covers", "Workaround deckt", "Workaround covers", "workaround.covers",
       Type.ids, "IDs der Bedarfe, die die Ersatzlösung überbrückt; leer: alle",
       "Ids of the needs the workaround bridges; empty: all"),
    *_localized("workaround_name", "Workaround", "Workaround", "workaround.name",
                "Name der Ersatzlösung", "Name of the workaround"),
    _c("flood_gauge", "Hochwasser Pegel", "Flood gauge", "flood.gauge", Type.id,
       "ID des Pegels, dessen Stand die Ressource überflutet", "Id of the gauge whose "
       "level floods it"),
    _c("flood_level", "Hochwasser ab (m)", "Flood level (m)", "flood.level", Type.number,
       "Pegelstand in Metern, ab dem sie überflutet ist", "Gauge level in metres from "
       "which it is flooded"),
    _c("flood_cleanup", "Hochwasser Aufräumen", "Flood cleanup", "flood.cleanup",
       Type.duration, "Zeit zum Aufräumen, wenn das Wasser gefallen ist",
       "Time to clean up after the water falls"),
    _c("trust", "Vertrauensbereiche", "Trust domains", "trust", Type.ids,
       "IT: Vertrauensbereiche (AD-Domänen), durch Komma getrennt", "IT: trust domains "
       "(AD domains), comma-separated"),
    _c("tags", "Schlagworte", "Tags", "tags", Type.ids, "Schlagworte, durch Komma getrennt",
       "Tags, comma-separated"),
    *_localized("description", "Beschreibung", "Description", "description",
                "Beschreibung", "Description"),
)  # fmt: skip

COMPANY = Sheet(
    "company", "Unternehmen", "Company",
    (
        _c("id", "ID", "ID", "id", Type.id, "Kennung des Unternehmens", "Id of the company",
           required=True),
        *_localized("name", "Bezeichnung", "Name", "name", "Name des Unternehmens",
                    "Name of the company", "Unternehmen", "Company"),
        *_localized("description", "Beschreibung", "Description", "description",
                    "Beschreibung", "Description"),
    ),
    True, "Eine Zeile: das Unternehmen", "One row: the company", ("Firma", "Organisation"),
)  # fmt: skip

PROCESSES = Sheet(
    "processes", "Prozesse", "Processes",
    (*_ASSET_HEAD, *_BIA, *_ASSET_TAIL),
    True, "Eine Zeile je Geschäftsprozess mit seinen BIA-Werten (Art leer: Geschäftsprozess)",
    "One row per business process with its BIA figures (kind empty: business process)",
    ("Geschäftsprozesse", "BIA", "Business processes"),
)  # fmt: skip

RESOURCES = Sheet(
    "resources", "Ressourcen", "Resources",
    (*_ASSET_HEAD, *_ASSET_TAIL),
    False, "Eine Zeile je Ressource (Standort, Versorgung, IT, Anlage, Lieferant, Personal …)",
    "One row per resource (site, utility, IT, equipment, supplier, staff, …)",
    ("Assets", "Ressource"),
)  # fmt: skip

DEPENDENCIES = Sheet(
    "dependencies", "Abhängigkeiten", "Dependencies",
    (
        _c("from", "Von", "From", "", Type.id, "ID der Ressource oder des Prozesses, der etwas "
           "braucht", "Id of the asset or process that needs something", "Prozess",
           "Ressource", "braucht", "Process", "Asset", "Dependent", required=True),
        _c("to", "Braucht", "Needs", "", Type.id, "ID der Ressource, die gebraucht wird (eine "
           "Zeile je Anbieter)", "Id of the asset needed (one row per provider)", "Nach",
           "To", "benötigte Ressource", "Provider", "Anbieter", required=True),
        _c("need", "Bedarf", "Need", "id", Type.id, "Kennung des Bedarfs: Zeilen mit gleicher "
           "Von-ID und gleichem Bedarf bilden eine Redundanzgruppe; leer: ein Bedarf je Zeile",
           "Id of the need: rows with the same From and Need form one redundancy group; "
           "empty: one need per row", "Bedarf-ID", "Redundanzgruppe", "Need id",
           "Redundancy group", "Group"),
        _c("type", "Art", "Type", "type", Type.dep_type, "physisch (Material, Energie), Cyber "
           "(Information), geografisch (gleicher Ort), logisch (Vertrag, Entscheidung); "
           "Vorgabe physisch", "physical (material, energy), cyber (information), geographic "
           "(co-location), logical (contract, decision); default physical",
           "Art der Abhängigkeit", "Dependency type"),
        _c("mode", "Modus", "Mode", "", Type.mode, "alle: jeder Anbieter nötig; eine von: "
           "Anteile addieren sich (Redundanz); k von n: k Anbieter nötig; Vorgabe alle",
           "all: every provider needed; any: shares add up (redundancy); k of n: k providers "
           "needed; default all", "Verknüpfung"),
        _c("k", "k", "k", "k_of_n.k", Type.integer, "Bei k von n: so viele Anbieter sind nötig",
           "With k of n: this many providers are needed"),
        _c("share", "Anteil", "Share", "", Type.fraction, "Bei eine von / k von n: Anteil des "
           "Bedarfs, den dieser Anbieter deckt (leer: 100 %)", "With any / k of n: share of "
           "the need this provider covers (empty: 100 %)"),
        _c("delay", "Verzögerung", "Delay", "delay", Type.duration, "Zeit, bis der Ausfall "
           "wirkt, z. B. 2h", "Time until the loss bites, e.g. 2h", "Zeit bis Auswirkung"),
    ),
    False, "Eine Zeile je Anbieter eines Bedarfs", "One row per provider of a need",
    ("Abhaengigkeiten", "Bedarfe", "Needs"),
)  # fmt: skip

TEAMS = Sheet(
    "teams", "Teams", "Teams",
    (
        _c("id", "ID", "ID", "", Type.id, "Kennung des Teams", "Id of the team", required=True),
        *_localized("name", "Bezeichnung", "Name", "name", "Name des Teams", "Name of the team"),
        _c("size", "Größe", "Size", "size", Type.integer, "Wie viele Wiederherstellungen das "
           "Team zugleich bearbeitet", "How many restores the team works on at once",
           "Anzahl", "Personen", required=True),
    ),
    False, "Wiederherstellungsteams", "Recovery teams", ("Wiederherstellungsteams",),
)  # fmt: skip

BUFFERS = Sheet(
    "buffers", "Puffer", "Buffers",
    (
        _c("asset", "Von", "From", "", Type.id, "ID der Ressource, deren Bedarf gepuffert ist",
           "Id of the asset whose need is buffered", required=True),
        _c("need", "Bedarf", "Need", "", Type.id, "Kennung des Bedarfs (Blatt Abhängigkeiten)",
           "Id of the need (sheet Dependencies)", required=True),
        _c("id", "Puffer-ID", "Buffer id", "id", Type.id, "Kennung des Puffers",
           "Id of the buffer", "ID", required=True),
        *_localized("name", "Bezeichnung", "Name", "name", "Name des Puffers",
                    "Name of the buffer"),
        _c("capacity", "Kapazität", "Capacity", "capacity", Type.duration, "Wie lange der "
           "volle Puffer einen Totalausfall überbrückt, z. B. 15min (USV), 48h (Diesel)",
           "How long a full buffer bridges a total loss, e.g. 15min (UPS), 48h (diesel)",
           "Überbrückungszeit", required=True),
        _c("initial", "Anfangsstand", "Initial", "initial", Type.duration, "Füllstand zu "
           "Beginn (leer: voll)", "Level at the start (empty: full)"),
        _c("refill", "Wiederauffüllen", "Refill", "refill", Type.duration, "Zeit zum "
           "Wiederauffüllen, wenn die Versorgung zurück ist (leer: nie)", "Time to refill "
           "once supply is back (empty: never)"),
        _c("via", "Über", "Via", "via", Type.id, "Ressource, die laufen muss, um den Puffer "
           "zu nutzen (das Notstromaggregat)", "Asset that must be up to draw on the buffer "
           "(the generator)"),
        _c("resupply_by", "Nachlieferung durch", "Resupply by", "resupply.by", Type.id,
           "Lieferant, der nachliefert", "Asset that delivers"),
        _c("resupply_amount", "Nachlieferung Menge", "Resupply amount", "resupply.amount",
           Type.duration, "Überbrückungszeit einer Lieferung", "Cover added by a delivery"),
        _c("resupply_lead_time", "Nachlieferung Vorlaufzeit", "Resupply lead time",
           "resupply.lead_time", Type.duration, "Zeit von der Bestellung bis zur Lieferung",
           "Time from order to delivery"),
        _c("resupply_reorder_at", "Nachbestellen bei", "Reorder at", "resupply.reorder_at",
           Type.duration, "Füllstand, bei dem bestellt wird (leer: Kapazität − Menge)",
           "Level at which an order goes out (empty: capacity − amount)"),
    ),
    False, "Puffer eines Bedarfs (USV, Diesel, Lager)", "Buffers of a need (UPS, diesel, stock)",
    ("Buffer", "Vorräte"),
)  # fmt: skip

IMPACT = Sheet(
    "impact", "Schadensverlauf", "Impact",
    (
        _c("process", "Prozess", "Process", "", Type.id, "ID des Prozesses (Blatt Prozesse)",
           "Id of the process (sheet Processes)", "Von", "From", required=True),
        _c("after", "Ab", "After", "after", Type.duration, "Ab dieser Ausfalldauer gilt der "
           "Schaden je Stunde, z. B. 0h, 4h, 1d", "From this age of the disruption on the "
           "impact per hour applies, e.g. 0h, 4h, 1d", "Zeithorizont", "Bewertungsperiode",
           "Period", required=True),
        _c("per_hour", "Schaden je Stunde (EUR)", "Impact per hour (EUR)", "per_hour",
           Type.eur, "Schaden je Stunde Totalausfall in Euro in diesem Zeitraum",
           "Impact per hour of a full outage in euros in this period", "Schaden pro Stunde",
           "EUR/h", required=True),
    ),
    False, "Schadensverlauf eines Prozesses: Schaden je Stunde ab einer Ausfalldauer",
    "Impact curve of a process: impact per hour from an age of the disruption on",
    ("Schaden", "Auswirkungen", "Impact curve"),
)  # fmt: skip

SHEETS: tuple[Sheet, ...] = (COMPANY, PROCESSES, RESOURCES, DEPENDENCIES, TEAMS, BUFFERS, IMPACT)
"""Every sheet, in workbook order."""


def normalize(header: str) -> str:
    """A header as compared: lower case, no accents, ß as ss, one space
    between words, no surrounding punctuation."""
    text = unicodedata.normalize("NFKD", header.replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" :*")


_UNIT = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")


def without_unit(header: str) -> str:
    """A normalized header without a bracketed unit or note: `rto (h)` -> `rto`."""
    return _UNIT.sub(" ", header).strip()


def column_names(sheet: Sheet) -> dict[str, Column]:
    """Every accepted spelling of a column of `sheet` (normalized) -> the column.

    Headers come first, so an alias that equals another column's header never
    takes it over."""
    out: dict[str, Column] = {}
    for column in sheet.columns:
        for name in (column.de, column.en):
            out.setdefault(normalize(name), column)
    for column in sheet.columns:
        for name in column.aliases:
            out.setdefault(normalize(name), column)
    return out


def sheet_names() -> dict[str, Sheet]:
    """Every accepted name of a sheet (normalized) -> the sheet."""
    out: dict[str, Sheet] = {}
    for sheet in SHEETS:
        for name in (sheet.de, sheet.en, *sheet.aliases):
            out.setdefault(normalize(name), sheet)
    return out


def choice_names(type: Type) -> dict[str, str]:
    """Every accepted spelling of an enumerated column's values (normalized) -> the value."""
    out: dict[str, str] = {}
    for choice in CHOICES[type]:
        for name in (choice.value, choice.de, choice.en, *choice.aliases):
            out.setdefault(normalize(name), choice.value)
    return out


def choice_label(type: Type, value: str, lang: str) -> str:
    """The label of a stored value in `lang` (what the writer puts in a cell)."""
    for choice in CHOICES[type]:
        if choice.value == value:
            return choice.de if lang == "de" else choice.en
    return value


ASSET_KINDS = {kind.value for kind in AssetKind}
