#pragma once

#include <QString>

class QWidget;

namespace tb::ui {

// QFileDialog behind a seam that tests can pre-answer (STYLE item 20). An empty answer means cancelled.
class FileDialog final
{
public:
    FileDialog() = delete;

    static QString openFileName(QWidget* parent, const QString& caption, const QString& filter = {});
    static QString saveFileName(QWidget* parent, const QString& caption, const QString& suggested = {},
                                const QString& filter = {});

    // Test hook: the next call returns `path` without showing a dialog (used once).
    static void setNextFileName(const QString& path);
    // Test hook: the file name the last save dialog suggested (answered or shown).
    static QString lastSuggested();
    static void resetHooks();
};

} // namespace tb::ui
