#pragma once

#include <functional>

#include <QWidget>

namespace tb::ui {

// What every pane of the workbench window shares: a status line towards the window, a hook that puts the
// pane into a state worth showing before `tokenbench --screenshot` grabs it, and deferred refreshes.
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

protected:
    // Runs `work` now when the pane is on screen, else when it is next shown (a later call replaces an earlier
    // one): a hidden pane does not redo its views for every token opened in another pane, which for a 3 MB
    // token held the window for most of a second.
    void whenShown(std::function<void()> work);
    void showEvent(QShowEvent* event) override;

private:
    std::function<void()> m_pending;
};

} // namespace tb::ui
