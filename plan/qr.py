"""QR codes for school links, drawn with ReportLab's own QR widget: the same drawing goes
into the flyer PDF and, as SVG, onto the For-schools page."""
from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_drawing(value: str, size: float) -> Drawing:
    """A square drawing `size` points wide holding a QR code of `value` (with its quiet zone)."""
    widget = QrCodeWidget(value, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def qr_svg(value: str, size: float = 220) -> str:
    """The QR code as an SVG document, for showing on screen."""
    return renderSVG.drawToString(qr_drawing(value, size))
