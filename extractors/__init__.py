"""Bytes → typed fields. Pure: no web, database or queue code is imported here.

OpenCV's pixel limit is set before cv2 is first imported anywhere in the process, so
a tiny file that decodes to gigabytes is refused by the decoder as well as by our own
header check (extractors.pages.decode_image).
"""

import os as _os

from extractors import defaults as _defaults

_os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(_defaults.MAX_PIXELS))
