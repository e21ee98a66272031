#include <QApplication>

#include "MainWindow.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenbench"));
    QApplication::setOrganizationName(QStringLiteral("tokenbench"));
    QApplication::setApplicationVersion(QStringLiteral(TB_VERSION));
    tb::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
