"""Names in bylines (``structure/names.py``): people, not roles or outlets."""

import pytest

from reflow.structure.names import byline_authors

BODY = (
    "The council approved the plan on Thursday after a long debate about its cost and its timing."
)


@pytest.mark.parametrize(
    "text,names",
    [
        ("By Sarah E. Needleman", ["Sarah E. Needleman"]),
        ("By Jonas Weber and Lena Fischer", ["Jonas Weber", "Lena Fischer"]),
        ("By Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("By Erik Holm, Staff Writer", ["Erik Holm"]),
        ("Posted on August 16, 2020 by Maria Costa", ["Maria Costa"]),
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"]),
        ("By Tom Smith | Reuters", ["Tom Smith"]),
        ("By AMANDA SEITZ, Associated Press", ["Amanda Seitz"]),
        ("By Alex Gangitano - 11/19/19 12:53 PM EST", ["Alex Gangitano"]),
        (
            "By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019",
            ["Mike Wuerthele", "Malcolm Owen"],
        ),
        ("By Laura Mowat PUBLISHED: 10:48, Tue, Nov 19, 2019", ["Laura Mowat"]),
        ("By Troy L. Smith, cleveland.com", ["Troy L. Smith"]),
        ("By Admin", []),
        ("by clicking Accept all you consent to cookies", []),
        ("By the Associated Press", []),
        (BODY, []),
    ],
)
def test_bylines(text, names):
    assert byline_authors(text) == names
