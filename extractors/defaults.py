"""Tuning numbers of the document pipeline, each with its unit and why it has its value.

Thresholds of the quality gate are measured on the generated evaluation set
(``baoquan eval``); the figures behind each are in the README.
"""

from __future__ import annotations

# --- input limits -------------------------------------------------------------------
MAX_FILE_BYTES = 25 * 1024 * 1024  # bytes; phone photos are 2-8 MB, scans of 20 pages < 20 MB
MAX_PIXELS = 60_000_000  # pixels per image/page, decided from the header before decoding
MAX_PDF_PAGES = 50  # pages; court judgments run 5-20 pages
PDF_SUBPROCESS_TIMEOUT = 60  # seconds for pdfminer text extraction of one file
PDF_SUBPROCESS_MEMORY = 1024 * 1024 * 1024  # bytes (RLIMIT_AS) for that subprocess
PDF_RASTER_DPI = 200  # dots per inch when a PDF page has no text layer
PDF_MIN_TEXT_CHARS = 20  # characters on a page below which it counts as a scan

# --- working resolution -------------------------------------------------------------
WORK_LONG_SIDE = 1600  # pixels; photos are reduced to this before any processing
CARD_LONG_SIDE = 1100  # pixels of a rectified card's long side (text ~30 px high)
PAGE_LONG_SIDE = 1754  # pixels of a rectified A4 page's long side (~150 dpi)

# --- OCR ----------------------------------------------------------------------------
OCR_MIN_LINE_SCORE = 0.5  # recogniser score under which a line is dropped
# Detector resize policy: the rectified document is already at working resolution, so
# never scale it up (rapidocr's default "min 736" doubles a wide card for no gain).
DET_LIMIT_TYPE = "max"
DET_LIMIT_SIDE_LEN = 1280  # pixels
# Detector post-processing, the same for both engines (rapidocr's own defaults; PaddleOCR's
# pipeline defaults to box_thresh 0.6 / unclip 1.5, which dropped faint closing lines such
# as the issue date under a faded seal)
DET_THRESH = 0.3  # probability above which a pixel is text
DET_BOX_THRESH = 0.5  # mean probability a box must reach
DET_UNCLIP_RATIO = 1.6  # how far a box is grown around its text
DET_MAX_SIDE_LEN = 2000  # pixels

# One detector pass for a photographed card: the working copy's boxes are recognised on the
# flattened card (pipeline._shared_boxes) when the detector saw it at enough resolution.
DETECT_LONG_SIDE = 960  # pixels: the working copy's long side as the detector sees it
SHARED_BOXES_MAX_UPSCALE = 2.0  # card pixels per detector pixel above which the card is detected again
SHARED_BOXES_MIN_LINES = 3  # fewer lines on the card than this: detect again
SHARED_BOXES_MIN_CARD_PX = 900  # card's long side on the working copy under which it is detected again
"""At 900 px a card's ~30 px lines (at 1100) are ~25 px in the photo, 1.5 × LOW_RES_TEXT_PX:
the looser shared boxes (line height up to +46 %) cannot hide a low-resolution photo."""

# --- orientation --------------------------------------------------------------------
VERTICAL_LINE_RATIO = 1.5  # box height/width over which a text line is read as sideways
ORIENTATION_MIN_LINES = 2  # lines needed before the 180° vote is trusted

# --- quality gate (calibrated with `baoquan eval`; see README "Quality gate") ---------
BLUR_SHARPNESS_ERROR = 0.33  # worst-direction edge sharpness (quality.sharpness) under which text is smeared
BLUR_REREAD_SCALES = (0.5, 0.33)  # reduced copies a blurred document is read again on
BLUR_REREAD_MIN_GAIN = 1.0  # classification points a reduced reading must add to be kept
GLARE_MIN_AREA = 0.012  # share of the document covered by clipped highlights
GLARE_LEVEL = 250  # grey level of a clipped highlight
GLARE_DELTA = 12  # a highlight is at least this much brighter than the document's paper
# On paper within GLARE_DELTA of clipping (median ≥ 243) a highlight cannot be told from the
# paper by level, only by being a solid clipped plateau (text under it erased). Calibrated with
# bench.calibrate_glare on the seed-7 sets (mixed, glare, cropped, finger: 330 photos, 40 in that
# band, plus the mixed set's scanned court judgments): glare photos measure ≥ 0.223, the others
# ≤ 0.042 (before the rise, blank paper at 250 reached 0.20); midway.
GLARE_PLATEAU_MIN = 0.13  # share of the document in solid clipped plateaus (quality.clipped_plateau_share)
GLARE_PLATEAU_RISE = 4  # a plateau is at least this much above the paper: noise on paper at 250 reaches 252
GLARE_PAPER_CLIPPED = 250  # paper (median grey) at or above this is itself clipped: no highlight is told from it
DARK_P95_ERROR = 75  # 95th-percentile grey level of the document under which it is too dark
OVEREXPOSED_MEAN = 200  # mean grey level of a washed-out document
OVEREXPOSED_TEXT_CONTRAST = 90  # grey-level spread inside text boxes under which text is washed out
LOW_RES_TEXT_PX = 16.5  # median text-line box height, in the photo's own pixels
"""A line box is the glyph height plus the detector's padding (~1.6×): 16.5 px is a glyph
of ~10 px, about the least a Chinese character needs to be told from its neighbours.
Calibrated on seed-7 sets (``python -m bench.calibrate_resolution``): 50 of 52
low-resolution photos measure ≤ 16.0, every other photo ≥ 17.1."""
CROPPED_BORDER_CONTACT = 0.06  # share of the outline lying along the image edge
CROPPED_TEXT_AT_EDGE = 1  # text lines cut by the photo's frame (none on a whole document)
CROPPED_FILLS_FRAME = 0.98  # outline area share at which a colour-cluster outline fills the frame
CROPPED_SEGMENT_CONTACT = 0.2  # a colour-cluster outline this much along the frame ...
CROPPED_SEGMENT_MAX_AREA = 0.6  # ... while covering less of the photo is a cut-off document
"""Both from seed-7 sets (``python -m bench.calibrate_cropped``): the rule goes from
precision 0.98 / recall 0.73 to 0.97 / 0.91 on 64 cropped among 226 photos."""
EDGE_MARGIN = 0.006  # share of the frame's size within which a text box "touches" the edge
CUT_WIDEN = 0.06  # share of the outline's size added on each side when it cut through a text line
PHOTOCOPY_MAX_CHROMA_SPREAD = 1.2  # spread of Lab a/b under which a colour document is a grey copy
PHOTOCOPY_MAX_CHROMA_P99 = 8.0  # and its most colourful 1 % is still nearly grey
NOT_DOC_MAX_CHARS = 6  # recognised characters below which a photo holds no document

OCCLUDED_MIN_SHARE = 0.01
"""share of the document under a finger-like blob inside the text band. Calibrated on
seed-7 sets (``python -m bench.calibrate_occlusion``): precision 0.95, recall 0.92 on 60
fingers over a field among 226 photos; 2 of the 3 false alarms were fingers on a corner."""
OCCLUDED_ERROR_SHARE = 0.02  # from here on an error (retake): precision 1.0, recall 0.78 on the same sets
INK_OVER_FIELD = 0.03  # share of a field's box covered by faded stamp ink that flags it for review
SEAL_OVER_FIELD = 0.01  # share of a field's box (widened by a line height each end) in seal ink that flags it

# --- document outline (extractors.preprocess) ---------------------------------------
OUTLINE_DETECT_LONG_SIDE = 900  # pixels; outline search runs on a reduced copy
SEGMENT_LONG_SIDE = 320  # pixels; colour clustering needs only the coarse layout
SEGMENT_SEED = 12345  # RNG seed (integer) of the colour clustering: the same photo, the same outline
FRAMED_MIN_SCORE = 0.3  # outline score (≈ share of the image's area) of a document lying inside a busy frame
FRAMED_MAX_AREA = 0.85  # share of the image's area at most: larger is a scan's own printed border

# --- cards on a sheet (extractors.split) --------------------------------------------
CARD_ASPECT_TOLERANCE = 0.22  # ratio units; |long/short - 1.586| accepted
MIN_CARD_AREA = 0.025  # share of the image a card region must cover
MAX_CARD_AREA = 0.45  # share of the image a card region may cover at most
MAX_OVERLAP = 0.25  # IoU (0-1) above which two candidates are the same card
FRAME_BAND = 0.01  # share of the longer side along the frame where card borders are not sought
# card borders drawn as lines (extractors.split, line search)
LINE_MIN_LENGTH = 0.06  # share of the page's shorter side: the shortest border piece sought
LINE_ANGLE_TOL = 2.5  # degrees between two pieces of one border, and off a right angle
LINE_SIDE_SUPPORT = 0.8  # share of each side that must lie on an edge
LINE_OVERHANG = 0.5  # edge share (0-1) past a corner above which the side runs on (a table, not a card)
LINE_OFFSET = 6  # pixels beside a side where a plain border has no edge on at least one hand
LINE_CONTRAST = 0.4  # edge share (0-1) on the side minus the cleaner of the two beside it
LINE_MAX = 80  # lines; the longest this many are considered
RULE_SUPPORT = 0.95  # share of a row across the inside on an edge that makes it a table's rule
LINE_PIECES_COVER = 0.5  # share of each side the detected border pieces must cover
LINE_MAX_CANDIDATES = 1500  # rectangles checked at most (a page of ruled lines makes thousands), the most drawn lines first

# --- overlay ink (extractors.ink) ---------------------------------------------------
INK_MIN_SATURATION = 60  # HSV saturation (0-255) of ink, well above a grey copy under a colour cast
INK_MIN_VALUE = 50  # HSV value (0-255): darker pixels carry no reliable hue
CHROMA_RIM = 7  # pixels around ink left out of the copy's colour measure
MAX_INK_SHARE = 0.2  # share of the page; above this much colour the document itself is coloured
MIN_INK_SHARE = 0.0005  # share of the page; below this there is nothing to fade
GREY_BASE_SPREAD = 2.0  # Lab a/b spread of the page without its ink: at most this on a grey copy
INK_ON_PAPER = 0.7  # share of the paper level: ink whose own channel reaches it lies on paper
PAPER_CLOSE_PX = 15  # pixels; closing width that takes the print out of the local paper level (strokes ≤ ~8 px)

# --- finger over the text (extractors.occlusion) ------------------------------------
SKIN_CR_RANGE = (138, 175)  # YCrCb Cr (0-255) of skin under common lighting
SKIN_CB_RANGE = (85, 128)  # YCrCb Cb (0-255) of skin
SKIN_MIN_Y = 60  # YCrCb Y (0-255): darker pixels have no reliable chroma
MAX_BLOB_SHARE = 0.35  # share of the document: a skin-coloured blob larger than this is its own colour
MAX_RIM_SHARE = 0.15  # share of the document's rim: a finger enters through a narrow stretch of its edge
MIN_SOLIDITY = 0.6  # blob area / its convex hull's area (0-1): a finger is a solid shape
FINGER_EDGE_BAND = 0.04  # share of the short side: a finger enters through this band

# --- regions of a photo (extractors.pipeline) ---------------------------------------
MIN_PART_TEXT_LINES = 2  # text lines a region must hold to count as a card on a sheet
TEXT_OUTSIDE_MAX = 0.25  # share of text (by box area) outside an outline that disqualifies it

# --- quick check (extractors/quick_check.py) ---------------------------------------------
# Both sizes chosen on a separate generated set (``python -m samples.generate --out
# /tmp/qc_cal --n 80 --seed 11``) as the smallest that kept agreement with the full
# pipeline's kind and retake verdicts (``python -m bench.quick_check --agreement …``).
QUICK_REGION_LONG_SIDE = 640  # pixels: long side of the copy the document outline and text boxes are looked for on
QUICK_TEXT_PX = 22.0  # pixels: median text-line box height of the copy the one OCR pass reads (boxes ~1.6× the glyph)
QUICK_MIN_LINES = 3  # text lines on a document below which its text size is measured on the document itself
