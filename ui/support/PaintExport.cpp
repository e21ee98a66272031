#include "PaintExport.h"

#include <QObject>
#include <QSvgGenerator>

namespace tb::ui {

QImage renderToImage(const PaintFunction& paint, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    paint(p, size);
    return image;
}

bool exportSvgFile(const PaintFunction& paint, QSize size, const QString& path, const QString& title)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    generator.setDescription(QObject::tr("Exported from tokenbench"));
    QPainter p;
    if (!p.begin(&generator)) {
        return false;
    }
    paint(p, size);
    return p.end();
}

} // namespace tb::ui
