#pragma once

#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

namespace tb::ui {

// For widgets whose tooltip depends on the point under the mouse: shows `textAt(pos)` for a ToolTip event
// (hides it when empty) and returns true; returns false for every other event.
template <typename TextAt>
bool handleToolTipEvent(QWidget* widget, QEvent* e, TextAt textAt)
{
    if (e->type() != QEvent::ToolTip) {
        return false;
    }
    auto* help = static_cast<QHelpEvent*>(e);
    const QString text = textAt(help->pos());
    if (text.isEmpty()) {
        QToolTip::hideText();
        e->ignore();
    } else {
        QToolTip::showText(help->globalPos(), text, widget);
    }
    return true;
}

} // namespace tb::ui
