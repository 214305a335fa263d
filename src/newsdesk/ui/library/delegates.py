"""A list row of two lines: a title, and a grey line under it with a warning when needed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from newsdesk.ui.palette import tone
from newsdesk.ui.related.related_model import Role, Severity

SEVERITY_TONES = {Severity.NOTE: "note", Severity.WARNING: "error"}


class TwoLineDelegate(QStyledItemDelegate):
    """Title (bold when published), then subtitle and problem; icon on the left."""

    PADDING = 6
    ICON = 18

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(200, 2 * line + 2 * self.PADDING + 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text, icon_ = opt.text, opt.icon
        opt.text = ""
        opt.icon = type(icon_)()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        line = opt.fontMetrics.height()
        left = rect.left() + self.PADDING
        if not icon_.isNull():
            icon_.paint(painter, QRect(left, rect.top() + self.PADDING, self.ICON, self.ICON))
            left += self.ICON + self.PADDING
        width = rect.right() - left - self.PADDING
        painter.save()
        font = QFont(opt.font)
        published = index.data(Role.PUBLISHED)
        font.setBold(published is not False)
        painter.setFont(font)
        painter.setPen(palette.color(text_role))
        title_rect = QRect(left, rect.top() + self.PADDING, width, line)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )

        small = QFont(opt.font)
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 7))
        painter.setFont(small)
        subtitle = str(index.data(Role.SUBTITLE) or "")
        problem = str(index.data(Role.PROBLEM) or "")
        severity = Severity(int(index.data(Role.SEVERITY) or 0))
        second = QRect(left, title_rect.bottom() + 2, width, line)
        muted = palette.color(text_role if selected else QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        metrics = painter.fontMetrics()
        shown = metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, width)
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        if problem:
            offset = metrics.horizontalAdvance(shown + "  ·  ") if shown else 0
            painter.setPen(
                palette.color(text_role)
                if selected
                else tone(SEVERITY_TONES[severity], palette)
                if severity in SEVERITY_TONES
                else palette.color(QPalette.ColorRole.PlaceholderText)
            )
            rest = QRect(second.left() + offset, second.top(), max(width - offset, 0), line)
            painter.drawText(
                rest,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(problem, Qt.TextElideMode.ElideRight, rest.width()),
            )
        painter.restore()
