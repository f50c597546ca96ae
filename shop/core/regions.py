"""The states and provinces the shop knows by their postal codes: for licences, the directory and sales tax.

`region_code` reads what a customer types in a "State / province" field ("oh", "Ohio", " OH ", "N.Y.") as
the postal code ("OH"), or "" when it is not one of the country's (abbreviations such as "Calif." are not
guessed). US_STATES (the 50 states, DC and Puerto Rico) is what licences and the directory offer; REGIONS["US"]
adds the other territories and the military addresses, which an order can ship to.
"""

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut",
    "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
}
# Beyond the states (for addresses and sales tax, not licences): the other territories and the military
# "states" of APO/FPO/DPO addresses.
US_TERRITORIES = {
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "VI": "U.S. Virgin Islands",
    "AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}
REGIONS = {"US": {**US_STATES, **US_TERRITORIES}, "CA": CA_PROVINCES}
_BY_NAME = {country: {name.lower().replace(".", ""): code for code, name in names.items()}
            for country, names in REGIONS.items()}
_BY_NAME["US"].update({"washington dc": "DC", "washington, dc": "DC", "virgin islands": "VI",
                       "us virgin islands": "VI", "northern marianas": "MP"})
_BY_NAME["CA"].update({"québec": "QC", "newfoundland": "NL", "newfoundland & labrador": "NL", "pei": "PE",
                       "yukon territory": "YT"})


def region_code(country: str | None, text: str | None) -> str:
    """The postal code of the state or province typed, for the US and Canada; "" otherwise."""
    country = (country or "").strip().upper()
    names = REGIONS.get(country)
    if not names:
        return ""
    typed = " ".join((text or "").replace(".", "").split())  # "N.Y." -> "NY", "D.C." -> "DC"
    if typed.upper() in names:
        return typed.upper()
    return _BY_NAME[country].get(typed.lower(), "")


def region_name(country: str | None, code: str | None) -> str:
    return REGIONS.get((country or "").upper(), {}).get((code or "").upper(), code or "")
