#include "Theme.h"

#include <QFontDatabase>
#include <QLabel>

namespace tb::ui::theme {

namespace {
QColor pick(const QPalette& palette, const char* light, const char* dark)
{
    return QColor(QLatin1String(isDark(palette) ? dark : light));
}
} // namespace

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QFont codeFont()
{
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

QLabel* captionLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    label->setPalette(pal);
    return label;
}

QColor headerColor(const QPalette& p)
{
    return pick(p, "#c0392b", "#ff7a6b");
}
QColor payloadColor(const QPalette& p)
{
    return pick(p, "#7d3cb5", "#c59bff");
}
QColor signatureColor(const QPalette& p)
{
    return pick(p, "#16809c", "#5fd0ef");
}
QColor okColor(const QPalette& p)
{
    return pick(p, "#1e7d3c", "#6ad58b");
}
QColor failColor(const QPalette& p)
{
    return pick(p, "#c62828", "#ff7b7b");
}
QColor warnColor(const QPalette& p)
{
    return pick(p, "#b36b00", "#ffbf5c");
}
QColor keyColor(const QPalette& p)
{
    return pick(p, "#1f5fbf", "#7fb2ff");
}
QColor stringColor(const QPalette& p)
{
    return pick(p, "#2a7a2a", "#9bd68a");
}
QColor numberColor(const QPalette& p)
{
    return pick(p, "#b35900", "#ffb36b");
}
QColor literalColor(const QPalette& p)
{
    return pick(p, "#8e24aa", "#e08cff");
}

} // namespace tb::ui::theme
