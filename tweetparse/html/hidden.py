"""HTML extractors: hidden forms."""
from __future__ import annotations

from .base import HtmlExtractor

# This module's extractors, in the order they run.
EXTRACTORS: tuple[HtmlExtractor, ...] = ()
