"""The kinds of asset in a company model, their German and English names,
and which of them a cyberattack can reach.

Kept apart from `schema` so the hazard modules (which `schema` imports) can
use them too.
"""

from __future__ import annotations

from enum import StrEnum


class AssetKind(StrEnum):
    site = "site"
    utility = "utility"
    equipment = "equipment"  # production and building plant: vats, UHT, boiler, cooling
    it_system = "it_system"
    application = "application"
    data = "data"
    supplier = "supplier"
    logistics = "logistics"
    staff = "staff"
    business_process = "business_process"


IT_KINDS = frozenset({AssetKind.it_system, AssetKind.application, AssetKind.data})
"""The kinds a cyberattack can compromise (they run code and log on to a
domain). Equipment is not among them: a cheese vat or a boiler is not
encrypted; it stops when the process control (an it_system) that runs it
does, through its needs."""

KIND_NAMES: dict[AssetKind, tuple[str, str]] = {
    AssetKind.site: ("Standort", "site"),
    AssetKind.utility: ("Versorgung", "utility"),
    AssetKind.equipment: ("Anlage", "equipment"),
    AssetKind.it_system: ("IT-System", "IT system"),
    AssetKind.application: ("Anwendung", "application"),
    AssetKind.data: ("Daten", "data"),
    AssetKind.supplier: ("Lieferant", "supplier"),
    AssetKind.logistics: ("Logistik", "logistics"),
    AssetKind.staff: ("Personal", "staff"),
    AssetKind.business_process: ("Geschäftsprozess", "business process"),
}
"""(German, English) name of one asset of each kind, for tables and reports."""


def kind_name(kind: AssetKind | str, lang: str = "en") -> str:
    """The name of an asset kind in `lang` ("de" or "en")."""
    de, en = KIND_NAMES[AssetKind(kind)]
    return de if lang == "de" else en


HAZARD_NAMES: dict[str, tuple[str, str]] = {
    "outage": ("Ausfall", "Outage"),
    "power_failure": ("Stromausfall", "Power failure"),
    "ransomware": ("Ransomware", "Ransomware"),
    "flood": ("Hochwasser", "Flood"),
    "supply_break": ("Lieferausfall", "Supply break"),
    "staff_absence": ("Personalausfall", "Staff absence"),
}
"""(German, English) name of each hazard type, for reports and the web's
pages (web/i18n.py makes its "hazard.<type>" texts from this list)."""


def hazard_name(kind: str, lang: str = "en") -> str:
    """The name of a hazard type in `lang`; an unknown type as written."""
    de, en = HAZARD_NAMES.get(kind, (kind, kind))
    return de if lang == "de" else en


DEP_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "physical": ("physisch", "physical"),
    "cyber": ("IT/Daten", "cyber"),
    "geographic": ("räumlich", "geographic"),
    "logical": ("organisatorisch", "logical"),
}
"""(German, English) name of each dependency type (Rinaldi et al.)."""

NEED_NAMES: dict[str, tuple[str, str]] = {
    "power": ("Strom", "power"), "site": ("Standort", "site"), "host": ("Server", "host"),
    "hosts": ("Server", "hosts"), "staff": ("Personal", "staff"), "lan": ("LAN", "LAN"),
    "control": ("Steuerung", "control"), "cooling": ("Kühlung", "cooling"),
    "steam": ("Dampf", "steam"), "milk": ("Milch", "milk"), "systems": ("IT-Systeme", "systems"),
    "system": ("IT-System", "system"), "workplace": ("Arbeitsplatz", "workplace"),
    "provider": ("Dienstleister", "provider"), "network": ("Netzwerk", "network"),
    "wan": ("WAN-Anbindung", "WAN"), "auth": ("Anmeldung", "authentication"),
    "logon": ("Anmeldung", "logon"), "access": ("Zugang", "access"),
    "fuel": ("Kraftstoff", "fuel"), "storage": ("Speicher", "storage"),
    "line": ("Linie", "line"), "lines": ("Linien", "lines"), "data": ("Daten", "data"),
    "db": ("Datenbank", "database"), "water": ("Wasser", "water"),
    "wastewater": ("Abwasser", "wastewater"), "cleaning": ("Reinigung", "cleaning"),
    "drivers": ("Fahrer", "drivers"), "road": ("Straße", "road"),
    "orders": ("Aufträge", "orders"), "internet": ("Internet", "internet"),
    "gas": ("Gas", "gas"), "tanker": ("Tankwagen", "tanker"), "tankers": ("Tankwagen", "tankers"),
    "lab": ("Labor", "lab"), "filling": ("Abfüllung", "filling"),
    "cold_store": ("Kühllager", "cold store"), "transport": ("Transport", "transport"),
    "phone": ("Telefon", "phone"), "telephony": ("Telefonie", "telephony"),
    "supplier": ("Lieferant", "supplier"), "generators": ("Netzersatzanlagen", "generators"),
    "chillers": ("Kaltwassersätze", "chillers"), "space": ("Räume", "space"),
    "panel": ("Stromverteilung", "power panel"), "packaging": ("Verpackung", "packaging"),
    "monitoring": ("Überwachung", "monitoring"), "compressors": ("Kompressoren", "compressors"),
    "chemicals": ("Chemikalien", "chemicals"), "material": ("Material", "material"),
    "goods": ("Ware", "goods"), "tools": ("Werkzeuge", "tools"), "records": ("Akten", "records"),
    "reception": ("Annahme", "reception"), "management": ("Leitung", "management"),
    "second_copy": ("zweite Kopie", "second copy"), "edge": ("Edge-Router", "edge"),
    "gateway": ("Gateway", "gateway"), "uplink": ("Uplink", "uplink"),
    "substation": ("Umspannwerk", "substation"), "units": ("Einheiten", "units"),
    "erp": ("ERP", "ERP"), "mes": ("MES", "MES"), "wms": ("Lagerverwaltung", "WMS"),
    "lims": ("Laborsystem", "LIMS"),
}  # fmt: skip
"""Readable names of the need ids the bundled companies use ("power",
"cooling" …): a need's id is the author's, in English by convention; shown
to a German team, the usual ones read as German words."""


def dep_type_name(kind: str, lang: str = "en") -> str:
    """A dependency type in `lang`; an unknown one as written."""
    de, en = DEP_TYPE_NAMES.get(kind, (kind, kind))
    return de if lang == "de" else en


def need_name(need_id: str, lang: str = "en") -> str:
    """A need's id as a word in `lang` where it is a usual one, else as written."""
    de, en = NEED_NAMES.get(need_id, (need_id, need_id))
    return de if lang == "de" else en
