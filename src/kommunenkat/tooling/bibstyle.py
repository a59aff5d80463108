"""A Swedish author–year bibliography for sphinxcontrib-bibtex.

Two parts, both registered by :mod:`kommunenkat.tooling.sphinxext`:

- the list style ``svenska`` (``bibtex_default_style``). pybtex's ``plain`` style writes English
  words ("Technical Report", "Number 2020:41 in SOU", "December", "and"), numbers the list [1]–[n]
  and puts titles in sentence case, which lower-cases proper nouns ("avseende
  arbetsförmedlingen"). This style keeps titles as written in ``references.bib``, uses Swedish
  conventions ("SOU 2020:41", "Rapport", "och") and writes each entry as an author–year list
  does: "Arbetsförmedlingen (2023a). Titel. …", sorted by author, year and title.
- the citation style ``svenska_forfattare_ar`` (``bibtex_reference_style``): "(Regeringen 2022a;
  Regeringen 2022b)". Several works by one author in one year get the suffixes a, b, c … in the
  order of the list, in the list and in every citation alike (the suffix is part of the entry's
  label, computed once in :meth:`SwedishStyle.author_year_labels`), so no citation reads
  "Arbetsförmedlingen, 2023, Arbetsförmedlingen, 2023".
"""

from __future__ import annotations

import string
from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from pybtex.database import Entry
from pybtex.richtext import Symbol, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import (
    field,
    first_of,
    href,
    join,
    names,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

MONTHS = {
    "January": "januari", "February": "februari", "March": "mars", "April": "april",
    "May": "maj", "June": "juni", "July": "juli", "August": "augusti",
    "September": "september", "October": "oktober", "November": "november",
    "December": "december",
}  # fmt: skip


def author_key(entry: Entry) -> str:
    """The author as the citations show it: last names (an organisation, braced in the .bib, is
    all last name), joined with "och"."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [
        " ".join(p.prelast_names + p.last_names).replace("{", "").replace("}", "") for p in people
    ]
    if len(names) > 2:
        return f"{names[0]} m.fl."
    return " och ".join(names)


def year_with_suffix(label: str) -> str:
    """The year part of a label made by :meth:`SwedishStyle.format_labels` ("2023a")."""
    return label.rsplit(" ", 1)[-1]


class SwedishStyle(PlainStyle):
    # People as "Brown, N. J. L. och Heathers, J. A. J." (organisations are unchanged).
    default_name_style = "lastfirst"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(*args, **kwargs)
        # pybtex binds the label style's format_labels to the instance; use the author–year one.
        self.format_labels = self.author_year_labels

    def author_year_labels(self, sorted_entries):
        """Author–year labels, "Arbetsförmedlingen 2023a": a suffix only where one author has
        several works in one year, lettered in the list's order (author, year, title)."""
        entries = list(sorted_entries)
        keys = [(author_key(e), e.fields.get("year", "u.å.")) for e in entries]
        total = Counter(keys)
        seen: dict[tuple[str, str], int] = defaultdict(int)
        labels = []
        for key in keys:
            suffix = ""
            if total[key] > 1:
                suffix = string.ascii_lowercase[seen[key]]
                seen[key] += 1
            labels.append(f"{key[0]} {key[1]}{suffix}")
        return labels

    def format_entry(self, label, entry, bib_data=None):
        # A copy with the suffixed year, so the shared bibliography data is never changed.
        fields = dict(entry.fields)
        if fields.get("month") in MONTHS:
            fields["month"] = MONTHS[fields["month"]]
        fields["year"] = year_with_suffix(label)
        copy = Entry(entry.type, fields=fields, persons=entry.persons)
        copy.key = entry.key
        return super().format_entry(label, copy, bib_data=bib_data)

    def format_head(self, e):
        """ "Författare (2023a)." – the author–year list's opening."""
        return sentence[
            join[self.format_names("author", as_sentence=False), " (", field("year"), ")"]
        ]

    def format_url(self, e):
        url = field("url", raw=True)
        return words["Webbadress:", href(url)[url]]

    def get_book_template(self, e):
        return toplevel[
            self.format_head(e),
            self.format_btitle(e, "title"),
            optional[sentence[self.format_edition(e)]],
            self.format_volume_and_series(e),
            # The publisher is left out where it could not be verified (references.bib).
            sentence[optional_field("publisher"), optional_field("address")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            self.format_head(e),
            self.format_title(e, "title"),
            optional[self.format_volume_and_series(e)],
            sentence[optional_field("howpublished")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

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
        # "2. uppl." (Swedish: the edition's ordinal number, then "upplagan" abbreviated).
        return optional[join[field("edition"), ". uppl."]]

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = join(sep=" ")[editors, "(red.)"]
        return sentence[result] if as_sentence else result

    def get_article_template(self, e):
        journal = sentence[
            tag("em")[field("journal")],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            optional[words["s.", field("pages")]],
        ]
        return toplevel[
            self.format_head(e),
            self.format_title(e, "title"),
            journal,
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            self.format_head(e),
            self.format_btitle(e, "title"),
            sentence[
                words[first_of[optional_field("type"), "Rapport"], optional_field("number")],
                field("institution"),
                optional_field("address"),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


@node
def label_year(children, data):
    """The cited entry's year with its suffix, taken from the list's label."""
    assert not children
    return Text(year_with_suffix(data["formatted_entry"].label))


def reference_styles():
    """The citation style, built lazily (sphinxcontrib-bibtex is only imported in Sphinx)."""
    from sphinxcontrib.bibtex.style.referencing import (
        BracketStyle,
        GroupReferenceStyle,
        PersonStyle,
    )
    from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
        BasicAuthorYearParentheticalReferenceStyle,
        BasicAuthorYearTextualReferenceStyle,
    )
    from sphinxcontrib.bibtex.style.template import join as sjoin
    from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

    class Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
        def inner(self, role_name):
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text,
                reference[
                    sjoin(sep=self.author_year_sep)[
                        self.person.author_or_editor_or_title(full="s" in role_name), label_year
                    ]
                ],
                post_text,
            ]

    class Textual(BasicAuthorYearTextualReferenceStyle):
        def inner(self, role_name):
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text,
                reference[
                    sjoin(sep=self.text_reference_sep)[
                        self.person.author_or_editor_or_title(full="s" in role_name),
                        join["(", label_year, ")"],
                    ]
                ],
                post_text,
            ]

    def brackets():
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class SwedishAuthorYearReferenceStyle(GroupReferenceStyle):
        """ "(Arbetsförmedlingen 2023a; Regeringen 2022b)" for {cite}/{cite:p}, "Regeringen
        (2022b)" for {cite:t}."""

        bracket: BracketStyle = dataclass_field(default_factory=brackets)
        person: PersonStyle = dataclass_field(
            default_factory=lambda: PersonStyle(sep2=" och ", last_sep=" och ", other=" m.fl.")
        )

        def __post_init__(self):
            self.styles.extend(
                [
                    Parenthetical(bracket=self.bracket, person=self.person, author_year_sep=" "),
                    Textual(bracket=BracketStyle(left="", right="", sep="; "), person=self.person),
                ]
            )
            super().__post_init__()

    return SwedishAuthorYearReferenceStyle
