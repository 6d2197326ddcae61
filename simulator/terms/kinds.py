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
"""(German, English) name of each hazard type, for reports (the web's pages
name them through web/i18n.py "hazard.<type>", the same words)."""


def hazard_name(kind: str, lang: str = "en") -> str:
    """The name of a hazard type in `lang`; an unknown type as written."""
    de, en = HAZARD_NAMES.get(kind, (kind, kind))
    return de if lang == "de" else en
