#pragma once

#include <QWidget>

namespace tb::ui {

// What every pane of the workbench window shares: a status line towards the window, and a hook that puts
// the pane into a state worth showing before `tokenbench --screenshot` grabs it.
class PaneBase : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PaneBase)

public:
    using QWidget::QWidget;
    ~PaneBase() override = default;

    // Called with the sample workspace loaded, just before the pane is grabbed. May block (e.g. until a
    // simulation has finished).
    virtual void prepareScreenshot() {}

signals:
    void statusMessage(const QString& text);
};

} // namespace tb::ui
