#pragma once

#include <functional>

#include <QImage>
#include <QPainter>
#include <QSize>
#include <QString>

namespace tb::ui {

// Exports of a widget that draws itself through one paint function (the same drawing on screen, in a PNG
// and in an SVG, so a slide shows exactly what the pane shows).
using PaintFunction = std::function<void(QPainter&, QSize)>;

QImage renderToImage(const PaintFunction& paint, QSize size);
bool exportSvgFile(const PaintFunction& paint, QSize size, const QString& path, const QString& title);

} // namespace tb::ui
