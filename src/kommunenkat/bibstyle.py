"""A Swedish bibliography style for sphinxcontrib-bibtex (``bibtex_default_style: svenska``).

pybtex's ``plain`` style writes English words ("Technical Report", "Number 2020:41 in SOU",
"December", "and") and puts titles in sentence case, which lower-cases proper nouns
("avseende arbetsförmedlingen"). This style keeps titles as written in ``references.bib`` and
uses Swedish conventions: "SOU 2020:41", "Rapport", "december 2023", "och". Registered by
:mod:`kommunenkat.sphinxext`.
"""

from __future__ import annotations

from pybtex.richtext import Symbol
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import (
    field,
    first_of,
    join,
    names,
    optional,
    optional_field,
    sentence,
    words,
)

MONTHS = {
    "January": "januari", "February": "februari", "March": "mars", "April": "april",
    "May": "maj", "June": "juni", "July": "juli", "August": "augusti",
    "September": "september", "October": "oktober", "November": "november",
    "December": "december",
}  # fmt: skip


class SwedishStyle(PlainStyle):
    def format_entry(self, label, entry, bib_data=None):
        month = entry.fields.get("month")
        if month in MONTHS:
            entry.fields["month"] = MONTHS[month]  # idempotent: Swedish names map to themselves
        return super().format_entry(label, entry, bib_data=bib_data)

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=" och ", last_sep=" och ")
        return sentence[formatted] if as_sentence else formatted

    def format_title(self, e, which_field, as_sentence=True):
        formatted = field(which_field)  # as written: no sentence case for Swedish proper nouns
        return sentence[formatted] if as_sentence else formatted

    def format_volume_and_series(self, e, as_sentence=True):
        # Swedish official series are cited as "SOU 2020:41", "Ds 2021:27".
        series_and_number = optional[join(sep=Symbol("nbsp"))[field("series"), field("number")]]
        volume = optional[words["vol.", field("volume"), optional[words["i", field("series")]]]]
        result = first_of[series_and_number, volume, optional[field("series")]]
        return sentence(capfirst=True)[result] if as_sentence else result

    def format_edition(self, e):
        return optional[words[field("edition"), "uppl."]]

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = join(sep=" ")[editors, "(red.)"]
        return sentence[result] if as_sentence else result

    def get_techreport_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                words[first_of[optional_field("type"), "Rapport"], optional_field("number")],
                field("institution"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]
