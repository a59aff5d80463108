"""Stable ids and their Swedish labels, in the order the book shows them."""

SHORT_QUESTIONS = {
    "far_from_labour_market": "Stöd till dem långt från arbetsmarknaden",
    "strategic_collab": "Strategisk samverkan",
    "operative_collab": "Operativ samverkan",
    "employer_support": "Stöd till arbetsgivare",
}

# The four scale questions: the county table (appendix) and the chart figures of each.
SCALE_QUESTIONS = {
    "far_from_labour_market": {"series": 4, "distribution": 5, "county": 12},
    "strategic_collab": {"series": 6, "distribution": 7, "county": 13},
    "operative_collab": {"series": 8, "distribution": 9, "county": 14},
    "employer_support": {"series": 10, "distribution": 11, "county": 15},
}

SCALE = ["very_high", "fairly_high", "middle", "fairly_low", "very_low", "dont_know"]
AGGREGATES = {"high": ["very_high", "fairly_high"], "low": ["fairly_low", "very_low"]}

CATEGORIES = {
    "very_high": "I mycket hög utsträckning",
    "fairly_high": "I ganska hög utsträckning",
    "middle": "Mittenalternativet",
    "fairly_low": "I ganska låg utsträckning",
    "very_low": "I mycket låg utsträckning",
    "dont_know": "Vet ej",
    "high": "Hög (mycket + ganska hög)",
    "low": "Låg (mycket + ganska låg)",
    "help_register": "Skriva in sig hos Arbetsförmedlingen",
    "help_case": "Hantera sitt ärende",
    "help_decisions_reporting": "Tolka beslut och aktivitetsrapportera",
    "help_newcomers": "Samordna insatser för nyanlända",
    "any_help": "Minst en sådan insats",
    "five_to_eight_kinds": "Fem till åtta sådana insatser",
    "unassigned_first": "Första etiketten (kategori ej angiven)",
    "unassigned_second": "Andra etiketten (kategori ej angiven)",
}

REGION_NATIONAL = "Riket"
REGIONS = [
    "Stockholm samt Gotland",
    "Uppsala",
    "Södermanland",
    "Östergötland",
    "Jönköping",
    "Kronoberg",
    "Kalmar",
    "Blekinge",
    "Skåne",
    "Halland",
    "Västra Götaland",
    "Värmland",
    "Örebro",
    "Västmanland",
    "Dalarna",
    "Gävleborg",
    "Västernorrland",
    "Jämtland",
    "Västerbotten",
    "Norrbotten",
]

STATUS = {
    "as_printed": "Tryckt entydigt",
    "settled_from_prose": "År fastställt med löptexten",
    "order_assumed": "År antaget ur etikettordningen",
    "ambiguous": "Tvetydigt i källan",
    "inconsistent": "Motsägelsefullt i källan",
}

# The first report edition transcribed in full, with its series back to the first round; later
# rounds add their own year's rows (see the README, "Adding a survey round"). Which round used
# which answer scale (the change between 2021 and 2022, report footnote 1) is declared once, in
# the ``scale`` column of data/rounds.csv (:func:`kommunenkat.inputs.data.scale_breaks`).
FIRST_EDITION = 2023

# The two aggregated categories as table columns name them ("Andel": Hög / Låg).
SIDE_LABELS = {"high": "Hög", "low": "Låg"}

# The categories each question's national series shows per round.
SERIES_BY_QUESTION = {
    "far_from_labour_market": ("high", "low"),
    "strategic_collab": ("high", "low"),
    "operative_collab": ("high", "low"),
    "employer_support": ("high", "low", "dont_know"),
}


def side_word(category: str, *, inflected: bool = False) -> str:
    """The two aggregated categories as the prose names them, the one home of these words:
    ``high`` 'positiv', ``low`` 'negativ' ('positiv och negativ andel'); with ``inflected`` the
    plural and definite form 'positiva', 'negativa' ('positiva svar', 'den negativa andelen')."""
    word = {"high": "positiv", "low": "negativ"}[category]
    return f"{word}a" if inflected else word
