"""What staff see changed since the consultation version: word by word, per field, only what differs."""

from __future__ import annotations

from kommunedialog.profiles.diff import FieldChange, Piece, changes, word_diff


def domain(title: str, rating: str, justification: str) -> dict[str, str]:
    return {"title": title, "rating": rating, "justification": justification}


def test_a_word_diff_keeps_the_order_of_what_stayed_went_and_came():
    assert word_diff("Lav kapasitet i barnevernet i 2025.", "God kapasitet i barnevernet i 2026.") == [
        Piece("removed", "Lav"),
        Piece("added", "God"),
        Piece("same", "kapasitet i barnevernet i"),
        Piece("removed", "2025."),
        Piece("added", "2026."),
    ]


def test_a_word_diff_of_equal_texts_is_one_unchanged_piece_and_of_empty_texts_nothing():
    assert word_diff("Uendra tekst.", "Uendra  tekst.") == [Piece("same", "Uendra tekst.")]
    assert word_diff("", "") == []
    assert word_diff("", "Ny tekst.") == [Piece("added", "Ny tekst.")]


def test_changes_list_only_what_differs_with_the_rating_only_when_it_moved():
    sent = {
        "overall_picture": "Stabil kommune.",
        "domains": [
            domain("Barnevern", "improvement", "Fristbrot i 2025."),
            domain("Helse og omsorg", "good", "God dekning."),
            domain("Landbruk", "good", "Ingen merknader."),
        ],
    }
    now = {
        "overall_picture": "Stabil kommune.",
        "domains": [
            domain("Barnevern", "vulnerable", "Fristbrot i 2025."),
            domain("Helse og omsorg", "good", "God dekning, men lang ventetid."),
            domain("Landbruk", "good", "Ingen merknader."),
        ],
    }
    assert changes(sent, now) == [
        FieldChange("Barnevern", "improvement", "vulnerable", [Piece("same", "Fristbrot i 2025.")]),
        FieldChange(
            "Helse og omsorg",
            None,
            None,
            [Piece("same", "God"), Piece("removed", "dekning."), Piece("added", "dekning, men lang ventetid.")],
        ),
    ]


def test_the_overall_picture_comes_first_and_a_domain_new_since_consultation_is_all_added():
    sent = {"overall_picture": "Før møtet.", "domains": []}
    now = {"overall_picture": "Etter møtet.", "domains": [domain("Klima", "good", "Ny plan.")]}
    assert changes(sent, now) == [
        FieldChange(
            "overall_picture", None, None, [Piece("removed", "Før"), Piece("added", "Etter"), Piece("same", "møtet.")]
        ),
        FieldChange("Klima", None, "good", [Piece("added", "Ny plan.")]),
    ]


def test_nothing_changed_gives_no_changes():
    same = {"overall_picture": "Tekst.", "domains": [domain("Barnevern", "good", "Tekst.")]}
    assert changes(same, dict(same)) == []
