#include "FileDialog.h"
#include "MessageBox.h"

#include <optional>

#include <QFileDialog>

namespace tb::ui {

namespace {
std::optional<QString> g_next;
QString g_lastSuggested;

std::optional<QString> takeNext()
{
    std::optional<QString> next = std::move(g_next);
    g_next.reset();
    return next;
}

// See MessageBox::unansweredDialogsFail: in GUI test suites an unanswered picker is cancelled and logged, never shown.
bool unansweredDialogsFail(const QString& caption)
{
    const bool fail = MessageBox::unansweredDialogsFail();
    if (fail) {
        qCritical("Unanswered file dialog \"%s\"", qPrintable(caption));
    }
    return fail;
}
} // namespace

QString FileDialog::openFileName(QWidget* parent, const QString& caption, const QString& filter)
{
    if (auto next = takeNext()) {
        return *next;
    }
    if (unansweredDialogsFail(caption)) {
        return {};
    }
    return QFileDialog::getOpenFileName(parent, caption, {}, filter);
}

QString FileDialog::saveFileName(QWidget* parent, const QString& caption, const QString& suggested,
                                 const QString& filter)
{
    g_lastSuggested = suggested;
    if (auto next = takeNext()) {
        return *next;
    }
    if (unansweredDialogsFail(caption)) {
        return {};
    }
    return QFileDialog::getSaveFileName(parent, caption, suggested, filter);
}

void FileDialog::setNextFileName(const QString& path)
{
    g_next = path;
}

QString FileDialog::lastSuggested()
{
    return g_lastSuggested;
}

void FileDialog::resetHooks()
{
    g_next.reset();
    g_lastSuggested.clear();
}

} // namespace tb::ui
