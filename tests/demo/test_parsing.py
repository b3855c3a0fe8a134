from insigne.demo.parsing import find_links


def test_it_lists_each_link_once_in_reading_order_without_trailing_punctuation():
    text = "Votre lien : https://badges.example.test/obtenir/abc/. Aide : https://exemple.test/aide"
    html = (
        '<a href="https://badges.example.test/obtenir/abc/">Obtenir</a>'
        '<a href="mailto:aide@exemple.test">aide</a><a href="https://exemple.test/refuser">non</a>'
    )

    assert find_links(text, html) == [
        "https://badges.example.test/obtenir/abc/",
        "https://exemple.test/aide",
        "https://exemple.test/refuser",
    ]
