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
PHOTOCOPY_MAX_CHROMA_SPREAD = 1.2  # spread of Lab a/b under which a colour document is a grey copy
PHOTOCOPY_MAX_CHROMA_P99 = 8.0  # and its most colourful 1 % is still nearly grey
NOT_DOC_MAX_CHARS = 6  # recognised characters below which a photo holds no document

OCCLUDED_MIN_SHARE = 0.01
"""share of the document under a finger-like blob inside the text band. Calibrated on
seed-7 sets (``python -m bench.calibrate_occlusion``): precision 0.95, recall 0.92 on 60
fingers over a field among 226 photos; 2 of the 3 false alarms were fingers on a corner."""
OCCLUDED_ERROR_SHARE = 0.02  # from here on an error (retake): precision 1.0, recall 0.78 on the same sets
INK_OVER_FIELD = 0.03  # share of a field's box covered by faded stamp ink that flags it for review
