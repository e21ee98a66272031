#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

class QLabel;
class QWidget;

namespace tb::ui::theme {

// Semantic colours that read well on the system palette, light or dark (the app follows the system).
bool isDark(const QPalette& palette);
// The fixed-width font for tokens, JSON and keys. Shaping is skipped where the script does not need it:
// laying out a 16 KB single-line token is then several times cheaper, which keeps typing fluid.
QFont codeFont();
// A wrapped explanatory line in the placeholder colour, under a control or a chart.
QLabel* captionLabel(const QString& text, QWidget* parent);
QColor headerColor(const QPalette& palette);
QColor payloadColor(const QPalette& palette);
QColor signatureColor(const QPalette& palette);
QColor okColor(const QPalette& palette);
QColor failColor(const QPalette& palette);
QColor warnColor(const QPalette& palette);
QColor keyColor(const QPalette& palette);    // JSON member names
QColor stringColor(const QPalette& palette); // JSON strings
QColor numberColor(const QPalette& palette);
QColor literalColor(const QPalette& palette); // true/false/null

} // namespace tb::ui::theme
