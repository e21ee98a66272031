#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>

namespace tb::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("tokenbench"));
    auto* placeholder = new QLabel(tr("tokenbench: the panes arrive with the workbench-window issue."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Ready"));
    resize(1100, 720);
}

MainWindow::~MainWindow() = default;

} // namespace tb::ui
