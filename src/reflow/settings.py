"""The rules' settings: every number a rule decides by, named, one dataclass per stage.

These are what cross-validation fits (``benchmarks/``): a value is chosen on some documents and
reported on others. Lengths are in points or in ems of the text's type size (``*_em``); shares
are of the page, the line or the document (``*_share``). A conversion reads them from
``ConvertOptions.settings``; ``Settings.with_values({"blocks.paragraph_gap_em": 0.6})`` gives a
copy with some changed, ``Settings.to_dict()`` lists all of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from reflow.settings_graphics import GraphicsSettings
from reflow.settings_group import Group


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ReaderSettings(Group):
    """The PDF reader's: accents, dropped glyphs."""

    # spacing-accent: an accent over a letter when their boxes overlap across by this share of
    # the narrower and up and down by this share; a moved accent's letter is looked for this
    # many characters away at most, on the same text line
    accent_overlap: float = 0.5
    accent_vertical: float = 0.3
    accent_search_chars: int = 400
    # dropped-glyphs: a page where at least this many text objects, and (one glyph each at
    # least) this share of the page's glyphs, own no character of PDFium's text page (a font it
    # cannot map to Unicode: vertical CJK in a non-embedded font) is named in a warning. Looked
    # for on pages with at least this many page objects per text-page character (a page of
    # text has one object per line or word: ~0.02-0.15)
    dropped_min_objects: int = 8
    dropped_share: float = 0.5
    dropped_check_objects_per_char: float = 0.5


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class FurnitureSettings(Group):
    """Page furniture's: print header and footer, running headers, page numbers, stamps."""

    # print-header-footer: a browser prints its header and footer within this band of the
    # page's top and bottom edges (the smaller of the two), on at least this share of pages
    print_band_pt: float = 40.0
    print_band_share: float = 0.06
    print_pages_share: float = 0.5
    # running-header: a line among the page's first or last few, in the top or bottom band,
    # whose text repeats on at least this share of the pages (and on at least that many)
    edge_lines: int = 3
    running_band_share: float = 0.16
    running_pages_share: float = 0.5
    running_min_pages: int = 2
    running_max_chars: int = 200
    # running-header: a line larger than the text by more than this share is not one (the
    # title on the first page that a running header repeats)
    running_max_size_share: float = 0.15
    # running-text-anywhere: repeated edge text of at least this many words is furniture also
    # where it floats up the page, in documents of at least this many pages
    anywhere_min_words: int = 3
    anywhere_min_pages: int = 3
    # page-number: a lone number, "Page 3", "3 of 12" in this band of the page's edge
    page_number_band_share: float = 0.09
    # ... or within this share when it is the page's outermost line, apart from the text
    page_number_outer_share: float = 0.15
    page_number_max_chars: int = 20
    # page-number-text: extracted text has no geometry: the page's first or last line
    text_page_number_max_chars: int = 12
    # running-header-text: a first or last line repeating on half the pages, of 3 or more
    text_edge_lines: int = 2
    text_running_min_pages: int = 3
    # page-number-row, header-position: a header's or footer's pieces have at most this many
    # words and are at most this share larger than the text's size; header-position: the
    # page's topmost row, within this share of the page's height from the top, this many ems
    # of the text's size above the next line
    edge_max_words: int = 12
    # page-number, page-number-row: a row of more pieces than this is a table's, not furniture
    edge_row_max_pieces: int = 4
    edge_size_share: float = 0.05
    header_band_share: float = 0.14
    header_gap_em: float = 1.3
    # margin-stamp: vertical text (a line this many times taller than wide and at least this
    # many ems tall) within this share of the page width from its left or right edge, beside
    # no horizontal line
    stamp_vertical_ratio: float = 2.0
    stamp_min_height_em: float = 3.0
    stamp_margin_share: float = 0.2


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class BlockSettings(Group):
    """Block building's: line spacing, paragraph gaps, indents, tables, columns, code."""

    # extracted text: the wrap width is this percentile of the line lengths
    text_wrap_percentile: float = 0.9
    # short-last-line-text: a sentence end shorter than this share of the wrap width ends it
    text_short_last_line_share: float = 0.75
    # heading-line: a heading-like first line shorter than this share of the wrap width
    text_heading_line_share: float = 0.6
    # short-line: a line shorter than this share of the wrap width was not wrapped
    text_short_line_share: float = 0.3
    # font-change, tagged-blocks: sizes differing by more than this share are two styles
    font_change_share: float = 0.12
    # line-spacing: gaps up to this many ems (boxes overlapping by up to the other) are line
    # spacing candidates; a size needs this many pairs of lines for its usual spacing to count
    spacing_max_em: float = 1.5
    spacing_overlap_em: float = 0.5
    spacing_min_pairs: int = 3
    # division-label: a label's title follows it within this many ems of the label's size
    division_max_gap_em: float = 5.0
    # paragraph-gap: without a usual spacing, a gap over this many ems starts a block; with
    # one, a gap over the usual spacing plus this many ems (and at least the minimum)
    paragraph_gap_em: float = 0.55
    paragraph_gap_min_em: float = 0.45
    paragraph_gap_over_em: float = 0.3
    # first-line-indent: an indent of more than this many ems, in a block wider than the other
    first_line_indent_em: float = 0.8
    first_line_min_width_em: float = 10.0
    # body-indent: a first-line indent between these many ems, seen at least this many times;
    # lines start alike within this many points; lines of one paragraph are less than this
    # many ems apart; indent-paragraph: a line indented by the body indent within these points
    indent_min_em: float = 0.5
    indent_max_em: float = 4.0
    indent_min_count: int = 3
    indent_align_pt: float = 1.5
    indent_max_gap_em: float = 1.0
    indent_match_pt: float = 1.5
    # line-fill: a sentence's end with more room than the next line's first word and this many
    # ems at its column's right edge ends the paragraph
    fill_slack_em: float = 1.0
    # dash-run-on: a dash's line and the filled line before it start within this many ems
    dash_align_em: float = 0.3
    # hanging-label: a line within this many ems of where the text after its item's label starts
    hanging_label_em: float = 0.6
    # short-last-line: in a block wider than this many ems, a sentence end left of this share
    # of its width
    short_last_line_min_width_em: float = 15.0
    short_last_line_share: float = 0.7
    # simple-table: lines on one row within this many ems (at least the minimum, points) of
    # each other's middle; cells this short (median)
    row_tolerance_em: float = 0.5
    row_tolerance_min_pt: float = 4.0
    table_cell_max_chars: int = 40
    # simple-table: at least this many rows; prose columns when this share of the cells fill
    # this share of their column's width with this many characters or more
    table_min_rows: int = 3
    table_prose_fill: float = 0.8
    table_prose_min_chars: int = 25
    # table-cells: a gap inside a line this many ems wide parts two cells
    table_cell_gap_em: float = 0.8
    # table-grid: a row further below the one above than this share of the table's row pitch
    # plus this many ems ends the table
    table_row_gap_share: float = 1.5
    table_row_gap_em: float = 0.5
    # ruled-table: rules across this share of the grid's width, up to this many ems above its
    # first row and under its last
    table_rule_cover: float = 0.9
    table_rule_reach_em: float = 1.5
    # monospace-font: a font whose runs of this many characters or more (at least this many
    # runs) vary in width per character and point by at most this share of the mean
    code_mono_min_chars: int = 6
    code_mono_min_runs: int = 3
    code_mono_cv: float = 0.003
    # code-run: monospaced lines whose tops are at most this many line pitches apart (the
    # pitch taken as this many ems until two lines show it); one line alone when this long
    code_pitch_em: float = 1.5
    code_max_gap_lines: float = 2.6
    code_single_line_min_chars: int = 20
    # code-line-numbers: a listing's numbers on at least this many lines, counting up by at
    # most this much from line to line (empty lines numbered too)
    code_numbered_min_lines: int = 2
    code_number_max_step: int = 3
    # code-indent: a gap of more than this many line pitches is a blank line
    code_blank_gap_lines: float = 1.5
    # table-page (reader, default settings): pages with this many rows of two lines or more;
    # cell-gaps: there, on lines of at most this many words, gaps wider than this many ems
    table_page_min_rows: int = 2
    cell_max_words: int = 12
    # page-rulings (reader): path objects at most this thick and at least this long, on pages
    # of at most this many objects
    ruling_max_pt: float = 2.5
    ruling_min_pt: float = 20.0
    ruling_max_objects: int = 1000
    cell_gap_min_em: float = 0.8
    # tagged-table: a data table's cells hold at most this many lines
    tagged_cell_max_lines: int = 4
    # rtl-line: fragments overlapping vertically by this share of their height, and apart by
    # no more than these many ems, are one line
    rtl_overlap_share: float = 0.5
    rtl_max_overlap_em: float = 0.5
    rtl_max_gap_em: float = 4.0
    # reading-order: a vertical gutter at least this wide separates columns; blocks whose
    # tops are above the band's bottom by more than the overlap are in the band
    column_gutter_pt: float = 8.0
    # band-fits-columns: a band's block may reach this many points past its column's extent
    band_fit_pt: float = 4.0
    # column-gutter: at least this many lines, their left edges aligned within this many
    # points, each with a line level with it at least this many points to its left, make a
    # gutter (which may be narrower than column_gutter_pt) when the lines on both sides are
    # this many ems wide at the median
    gutter_min_lines: int = 6
    gutter_min_width_em: float = 6.0
    gutter_align_pt: float = 2.0
    gutter_min_gap_pt: float = 2.0
    # rejoin-split-line: before table detection, pieces whose gaps differ by at most this many
    # points are one justified line; after it, pieces ending within this many points of their
    # column's right edge
    rejoin_equal_gap_pt: float = 1.0
    rejoin_edge_pt: float = 2.0
    band_overlap_pt: float = 0.5
    # grid-row: blocks side by side whose tops and bottoms are level within this many points
    grid_level_pt: float = 2.0
    # grid-row: above columns whose gutter a row block reaches into, blocks narrower than
    # this share of a column
    grid_row_width_share: float = 0.9
    order_max_depth: int = 30


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class HealSettings(Group):
    """Healing's: paragraphs split by a page or a column break joined again."""

    # page-break-sentence: a paragraph of at least this many words ending in a lower-case word
    # goes on into the next when both are set alike (sizes within this share)
    capital_min_words: int = 8
    same_size_share: float = 0.05
    # page-break-full-line: a last line of this many words at least, this share of the next
    # block's width, is full
    full_line_share: float = 0.9
    full_line_min_words: int = 5
    # break-past-footnotes: blocks set smaller than the next one by this share are skipped
    smaller_share: float = 0.08
    # break-past-floats: at most this many blocks of a float opening a page or column
    float_max_blocks: int = 12
    # table-across-break: a table goes on past at most this many blocks under its first part
    table_notes_max_blocks: int = 2


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class RoleSettings(Group):
    """Roles': titles, headings, lists, quotes, captions, callouts, footnotes."""

    # callout: a labelled block of at most this many words
    callout_max_words: int = 30
    # disclaimer: among the last blocks, at most this many words
    disclaimer_last_blocks: int = 3
    disclaimer_max_words: int = 80
    # byline: "By ..." of at most this many words (extracted text: in the first 6 blocks)
    byline_max_words: int = 14
    text_byline_max_words: int = 12
    # text-dek: an opening sentence of at most this many words, the paragraphs after it this
    # many times longer on average
    text_dek_max_words: int = 40
    text_dek_ratio: float = 1.5
    # heading: this many times the body size, at most this many words and lines; a tagged
    # paragraph needs the larger share; a bold heading at least this share of the body size
    heading_size_share: float = 1.15
    tagged_heading_size_share: float = 1.6
    heading_max_words: int = 30
    heading_max_lines: int = 4
    bold_heading_max_words: int = 14
    bold_heading_max_lines: int = 2
    bold_heading_min_size_share: float = 0.95
    # numbered-heading: a numbered block in italic, bold or small caps of at most this many lines
    numbered_heading_max_lines: int = 2
    # numbering-levels: read when at least this many headings are numbered
    numbering_min_headings: int = 3
    # heading-levels: sizes within this share of each other are one level
    heading_size_class_share: float = 0.96
    # caption: "Figure 3" captions of at most this many words; italic blocks smaller than this
    # share of the body size and at most this many words
    figure_caption_max_words: int = 80
    caption_size_share: float = 0.93
    caption_max_words: int = 60
    # footnote: smaller than this share of the body size, below this share of the page height
    footnote_size_share: float = 0.9
    footnote_page_share: float = 0.6
    # footnote-number: a note's number read with up to this many of its leading digits;
    # footnote-reference: its reference looked for in this many blocks touching its page
    footnote_max_marks: int = 3
    footnote_max_citing_blocks: int = 60
    # block-quote: indented on both sides by this many ems of the body size; body-column:
    # columns carrying at least this share of the main one's characters
    quote_indent_em: float = 1.5
    body_column_share: float = 0.3
    # title: this many times the body size, among the first blocks (tagged: the first H1)
    title_size_share: float = 1.3
    title_max_index: int = 12
    tagged_title_max_index: int = 40
    # title-over-h1: an untagged heading before the first H1, this many times its size
    title_over_h1_share: float = 1.1
    # dek: at most this many words, this share of the body size (or bold or italic); a
    # sentence set like a heading needs this many words and a size below this share of the
    # title's
    dek_max_words: int = 60
    dek_size_share: float = 1.08
    dek_heading_min_words: int = 6
    dek_max_title_share: float = 0.9
    # chapter-heading: "Chapter 2" and the chapter's name at most this many ems apart
    chapter_gap_em: float = 4.0
    # title-block: among the next this many blocks on the title's page, rows of lines centred
    # on the title's axis within this many ems, no line wider than this share of the body
    # column (nor this share of a narrower body column) nor longer than this many words; a
    # box's next line is at most this many ems below
    title_block_max_blocks: int = 12
    title_block_centre_em: float = 2.0
    title_block_line_share: float = 0.8
    title_block_column_share: float = 0.92
    title_block_max_words: int = 12
    title_block_gap_em: float = 0.55


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ArticleSettings(Group):
    """Main-content detection's (web prints): boilerplate, the article's extent, the model."""

    # boilerplate-phrase: a one-word label of at most these words and characters; a cookie
    # notice up to this long; photo credits and gallery counters up to these many words;
    # phrases count in blocks of at most this many words, one phrase in blocks up to the
    # single-phrase length (a longer block needs two); a "sentence" has more than this many
    # words; weak words mark lines of at most this many words with few other words
    chrome_word_max_words: int = 6
    chrome_word_max_chars: int = 40
    cookie_max_words: int = 150
    photo_credit_max_words: int = 40
    gallery_max_words: int = 120
    phrase_max_words: int = 40
    single_phrase_max_words: int = 18
    sentence_min_words: int = 6
    weak_max_words: int = 8
    weak_max_other_words: int = 3
    # a block with this share of its characters under links is a link list
    link_list_share: float = 0.5
    # body-style: blocks of at least this many words and less than this link share; columns
    # in steps of this many points, the left edge within this distance, the right edge where
    # this share of the body's words end
    body_min_words: int = 20
    body_max_link_share: float = 0.3
    column_step_pt: float = 6.0
    column_edge_pt: float = 8.0
    column_right_share: float = 0.9
    # body-columns: columns as wide as the body's within this share, in steps of these points
    columns_width_share: float = 0.15
    columns_step_pt: float = 8.0
    # off-column: inside a body column within this margin; beside it past this margin; a
    # sidebar is narrower than this share of the body column (or in another font); sidebars
    # shorter than this many words are chrome
    column_inside_pt: float = 8.0
    column_beside_pt: float = 4.0
    sidebar_width_share: float = 0.6
    sidebar_max_words: int = 60
    # repeated: blocks of at most this many words at the same place (in steps of these points)
    repeated_max_words: int = 12
    repeated_step_pt: float = 3.0
    # dense-region: running text has at least this many words and less than this link share;
    # "good" running text this many words and a sentence end (or the long length); weights of
    # text in another font and of text that is not good; short blocks cost this per word
    running_min_words: int = 8
    running_max_link_share: float = 0.35
    good_min_words: int = 15
    good_long_words: int = 30
    other_font_weight: float = 0.35
    not_good_weight: float = 0.7
    short_block_penalty: float = 0.3
    # title-anchor: a title is set this many times the body size, with at most this share of
    # the body's words before it; failing that, a heading this large, this short, looked for
    # this many blocks back
    title_size_share: float = 1.3
    title_max_body_before_share: float = 0.2
    heading_title_size_share: float = 1.25
    title_max_words: int = 30
    title_look_back_blocks: int = 30
    # end-marker: after this many body blocks and words, a heading of at most this many words;
    # a box inside the article when running text of this many words resumes within this many
    # blocks (blocks weighing more than this penalty against it end the run)
    end_min_blocks: int = 2
    end_min_words: float = 40.0
    end_marker_max_words: int = 8
    resume_within_blocks: int = 8
    resume_min_words: float = 50.0
    resume_max_penalty: float = 4.0
    # author-bio: after this many body words, in the article's last few blocks, at most this
    # many words
    bio_min_words_before: float = 100.0
    bio_last_blocks: int = 3
    bio_max_words: int = 120
    # near-duplicate: copies within this many blocks, of at least this many words
    duplicate_window_blocks: int = 6
    duplicate_min_words: int = 6
    # inside: a list item under this link share stays in the article
    list_item_max_link_share: float = 0.9
    # article-model: the model chooses on PDFs / on extracted text (else the hand-set rules);
    # on text by default: trained on the web corpus as text, leave-site-out body F1 0.883
    # against the rules' 0.804, aeb-dev-text (out of sample) 0.904 against 0.833
    model_pdf: bool = True
    model_text: bool = True
    # article-window: a block weighs (its probability of being the article - this threshold)
    # times (its words + this many); inside the window, blocks below the keep threshold go
    model_window_threshold: float = 0.5
    model_block_words: float = 3.0
    model_keep_threshold: float = 0.5
    # ... the window's threshold is at most this share of the probability above which the
    # page's best words score (this share of them): every print holds an article
    model_relative_share: float = 0.7
    model_top_share: float = 0.25
    # model-chrome: inside the model's article, a chrome-rule block goes below this (>1: never)
    model_chrome_keep: float = 0.9
    # clean-page: a page the gate finds only the article with this probability is kept whole
    clean_page_threshold: float = 0.5
    # clean-page-chrome: ... unless this many blocks or more meet the chrome phrase rules
    clean_page_max_chrome: int = 3
    # clean-page-agree: ... where a block the rules drop goes below: inside their article, this
    # (a site block, the site one); above or below it, a site's box (clean-page-thread)
    clean_page_agree: float = 0.0
    clean_page_site_agree: float = 0.9
    clean_page_thread_agree: float = 0.5
    # model-rule-agree: inside the model's article, a block the hand-set rules drop stays at
    # this probability or more (0: the model alone decides)
    model_rule_keep: float = 0.7
    # ... and a block they keep goes below this probability (at most the keep threshold)
    model_rule_drop: float = 0.4
    # bridge-inside: a box the rules cut out of the middle of their article weighs 0 in the
    # model's window (1) or its own verdict (0)
    model_bridge_inside: float = 1.0


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class OcrSettings(Group):
    """OCR's: resolution, lines and paragraphs of a scanned page."""

    # ocr-resolution: a page is rendered at its largest image's own resolution, kept within
    # these dots per inch (a page without an image, garbled fonts, at the default)
    min_dpi: int = 200
    max_dpi: int = 300
    default_dpi: int = 300
    # ocr-deskew: a page turned by at least this many degrees is straightened (word positions
    # turned back); from the larger angle on it is rendered turned and read again
    deskew_min_deg: float = 0.15
    rerender_min_deg: float = 2.0
    # ocr-line-geometry: a line's size in points is this share of Tesseract's row height (x-height
    # plus ascenders and descenders); its box reaches this many ems above and below the baseline
    size_per_row_height: float = 1.05
    ascent_em: float = 0.9
    descent_em: float = 0.22
    # ocr-noise: words under this confidence (0-100) without a letter or digit are dropped; a
    # line whose words average under the line minimum is noise (specks, a photo's texture)
    min_word_confidence: float = 10.0
    min_line_confidence: float = 45.0
    # ... but kept when this many words of 2+ letters common in the page's language (wordfreq
    # Zipf frequency at least this) carry this share of its characters: real words
    noise_min_words: int = 2
    noise_word_zipf: float = 3.0
    noise_real_share: float = 0.6
    # ocr-size-classes: line sizes within this share of the smallest of a run are one size (a
    # one-line heading's row height is off by up to 3 px of 40: 8%; headings of two levels
    # differ by 15% or more)
    size_class_share: float = 0.10
    # ocr-size-runs: a line under the last line of a run, its baseline at most this many ems
    # lower (within this share of the run's pitch once it has one), its size within this share
    # of the run's, continues the run; a run's lines share its size
    run_pitch_max_em: float = 1.6
    run_pitch_share: float = 0.12
    run_size_share: float = 0.15
    run_size_share_at_pitch: float = 0.3
    # ... not a line this share as wide as the run's widest, this share of its letters small
    run_full_share: float = 0.85
    run_small_share: float = 0.6
    # ocr-sideways: a baseline climbing this many times its run across, or words this much taller
    sideways_steep_ratio: float = 1.0
    sideways_word_ratio: float = 1.5
    # ocr-cell-borders: a "|" word over / under this many row heights is a table's border
    border_min_rows: float = 1.15
    border_max_rows: float = 0.5
    # ocr-bold: a line whose strokes are this many times the document's usual (in ems) is bold
    bold_ratio: float = 1.15
    # ocr-bold-runs: a line of a run whose measure is within this share of the limit is as bold
    # as its run
    bold_margin_share: float = 0.08
    # ocr-bullet: a first "word" at most this many ems tall (of the row height) that floats at
    # least this many ems above the baseline is a bullet (0.03: the 2 px a Computer Modern or
    # sans bullet floats over a 26 px row at 200 dpi; a letter's bottom is within a pixel of it)
    bullet_max_height_em: float = 0.5
    bullet_lift_em: float = 0.03
    # ocr-uncertain: words under this confidence are marked in the JSON (``uncertain``)
    uncertain_confidence: float = 60.0
    # ocr-language: the language is told from the first page read by this many words at least;
    # another language wins with this share more of its words known than the current one's
    language_min_words: int = 20
    language_margin_share: float = 0.15
    # ocr-auto: a page whose text layer holds fewer characters than this, under images that
    # cover at least this share of it, is a scan with a stamp (a page number, a fax header)
    stamp_max_chars: int = 40
    stamp_image_share: float = 0.6


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class FigureSettings(Group):
    """Figures': decoration, captions."""

    # decoration: an image smaller than this on a side (points), or this thin (side ratio), or of
    # at most this many pixels on a side (a spacer, a tracking pixel) is no figure
    min_side_pt: float = 36.0
    max_aspect: float = 12.0
    min_pixels: int = 4
    # scan-image: on a page read by OCR, an image covering this share of the page is the scan
    scan_cover_share: float = 0.5
    # figure-caption: a block within this many points of the image's top or bottom edge,
    # overlapping it across by at least this share of the narrower, is its caption when it is
    # a caption already, or short (at most this many words) and set smaller than the body
    caption_gap_pt: float = 24.0
    caption_overlap_share: float = 0.5
    caption_max_words: int = 60
    caption_size_share: float = 0.95
    # table-caption-above: a one-line paragraph of at most this many words, at most this many
    # of its line heights above a table
    table_caption_max_words: int = 15
    table_caption_gap_lines: float = 1.5


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class HeaderSettings(Group):
    """The header's: byline and date near the title."""

    # byline-near-title, byline-score: the blocks looked at after and before the title;
    # byline-score: a block of more words is no byline
    byline_after: int = 10
    byline_before: int = 3
    byline_max_words: int = 30
    # byline-score: beyond those blocks, a byline a byline word or label opens ("Text: Kirsten
    # Freund", "Eine Kolumne von Nils Pickert") is a candidate among the page's first this many
    byline_far: int = 300
    # byline-near-title: the block of a scored byline is typed ``byline`` when this short
    byline_block_words: int = 12
    # date-near-title: the blocks looked at after and before the title; a block longer than
    # this many words is read only in its first ``date_head_chars`` characters
    date_after: int = 20
    date_before: int = 8
    date_max_words: int = 30
    date_head_chars: int = 40
    # date-order: a page is read month first ("06/01/2026" = June 1) when at least this share
    # of its first words are English function words, day first otherwise (unless a numeric
    # date over 12, or the URL's date, tells); read from this many words
    date_english_share: float = 0.04
    date_order_words: int = 400


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class OutputSettings(Group):
    """The output checks': word accounting."""

    # word-accounting: a page is named when more than this share of its text-layer words, and
    # at least this many, are neither in the output nor in ``removed``; the document when more
    # than its share of all its words are (then the pages that lost most are named); at most
    # this many pages are listed
    account_words: bool = True
    lost_page_share: float = 0.05
    lost_share: float = 0.02
    lost_min_words: int = 3
    lost_max_pages: int = 12


@dataclass(frozen=True, slots=True)
class Settings:
    """All stages' settings."""

    reader: ReaderSettings = field(default_factory=ReaderSettings)
    furniture: FurnitureSettings = field(default_factory=FurnitureSettings)
    blocks: BlockSettings = field(default_factory=BlockSettings)
    heal: HealSettings = field(default_factory=HealSettings)
    roles: RoleSettings = field(default_factory=RoleSettings)
    header: HeaderSettings = field(default_factory=HeaderSettings)
    article: ArticleSettings = field(default_factory=ArticleSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    figures: FigureSettings = field(default_factory=FigureSettings)
    graphics: GraphicsSettings = field(default_factory=GraphicsSettings)
    output: OutputSettings = field(default_factory=OutputSettings)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {f.name: asdict(getattr(self, f.name)) for f in fields(self)}

    def with_values(self, values: dict[str, Any]) -> Settings:
        """A copy with ``{"stage.name": value}`` changed; unknown names are an error."""
        groups: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            stage, _, name = key.partition(".")
            if not hasattr(self, stage) or name not in {
                f.name for f in fields(getattr(self, stage))
            }:
                raise KeyError(f"no setting {key!r}")
            groups.setdefault(stage, {})[name] = value
        return replace(self, **{k: replace(getattr(self, k), **v) for k, v in groups.items()})

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, Any]]) -> Settings:
        return cls().with_values(
            {f"{stage}.{name}": v for stage, group in data.items() for name, v in group.items()}
        )


DEFAULT = Settings()
