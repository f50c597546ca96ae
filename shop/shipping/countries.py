"""Countries we ship to (ISO 3166-1 alpha-2) and which shipping region each falls in."""

REGION_DOMESTIC = "domestic"
REGION_CANADA = "canada"
REGION_INTERNATIONAL = "international"
REGIONS = (REGION_DOMESTIC, REGION_CANADA, REGION_INTERNATIONAL)

COUNTRIES = {
    "US": "United States", "CA": "Canada", "AU": "Australia", "AT": "Austria", "BE": "Belgium",
    "BR": "Brazil", "CL": "Chile", "CN": "China", "CO": "Colombia", "CZ": "Czechia", "DK": "Denmark",
    "FI": "Finland", "FR": "France", "DE": "Germany", "GR": "Greece", "HK": "Hong Kong", "HU": "Hungary",
    "IS": "Iceland", "IN": "India", "IE": "Ireland", "IL": "Israel", "IT": "Italy", "JP": "Japan",
    "MY": "Malaysia", "MX": "Mexico", "NL": "Netherlands", "NZ": "New Zealand", "NO": "Norway",
    "PH": "Philippines", "PL": "Poland", "PT": "Portugal", "PR": "Puerto Rico", "SG": "Singapore",
    "ZA": "South Africa", "KR": "South Korea", "ES": "Spain", "SE": "Sweden", "CH": "Switzerland",
    "TW": "Taiwan", "TH": "Thailand", "AE": "United Arab Emirates", "GB": "United Kingdom",
}


def region_for(country_code: str | None) -> str:
    code = (country_code or "").upper()
    if code in ("US", "PR"):
        return REGION_DOMESTIC
    if code == "CA":
        return REGION_CANADA
    return REGION_INTERNATIONAL


def country_choices() -> list[tuple[str, str]]:
    first = [("US", COUNTRIES["US"]), ("CA", COUNTRIES["CA"])]
    rest = sorted(((code, name) for code, name in COUNTRIES.items() if code not in ("US", "CA")), key=lambda c: c[1])
    return first + rest
