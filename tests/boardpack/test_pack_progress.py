"""A pack's render tells whoever waits how far it has got, and prints only what paper shows."""

from __future__ import annotations

from opb_portal.boardpack import render


def test_rendering_a_pack_reports_each_section_then_each_page_then_the_writing(demo_march_pack):
    heard: list[tuple[int, int, str]] = []
    pack = demo_march_pack.built
    expected = demo_march_pack.rendered.pages
    rendered = render.render_pack(
        pack, progress=lambda *step: heard.append(step), pages_expected=expected
    )

    sections = len(pack.parts)
    assert [message for _, _, message in heard[:sections]] == [
        f"Gathering the figures: section {n} of {sections}" for n in range(1, sections + 1)
    ]
    pages = [step for step in heard[sections:] if step[2].startswith("Rendering")]
    assert pages[0] == (1, expected, f"Rendering the board pack: page 1 of about {expected}")
    assert [done for done, _, _ in pages] == list(range(1, rendered.pages + 1))
    assert (rendered.pages, rendered.pages, f"Writing the PDF: {rendered.pages} pages") in heard
    # The same bytes as a render no one watched: progress changes nothing in the pack.
    assert rendered.sha256 == demo_march_pack.rendered.sha256


def test_the_phone_copy_of_a_chart_is_left_out_of_what_weasyprint_lays_out():
    from weasyprint import HTML

    from opb_portal.boardpack import pdf

    html = (
        '<div class="chart"><div class="chart-wide"><svg><title>Wide</title></svg></div>'
        '<div class="chart-narrow"><svg><title>Phone</title></svg></div></div>'
        '<p class="chart-narrow-note">kept</p>'
    )
    root = HTML(string=html).etree_element
    pdf._only_the_printed_charts(root)

    classes = [element.get("class") for element in root.iter() if element.get("class")]
    assert classes == ["chart", "chart-wide", "chart-narrow-note"]
