#include "PaneBase.h"

#include <utility>

namespace tb::ui {

void PaneBase::whenShown(std::function<void()> work)
{
    if (isVisible()) {
        m_pending = nullptr;
        work();
    } else {
        m_pending = std::move(work);
    }
}

void PaneBase::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (auto work = std::exchange(m_pending, nullptr)) {
        work();
    }
}

} // namespace tb::ui
