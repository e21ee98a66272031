#pragma once

#include <optional>

#include <QMessageBox>
#include <QString>
#include <QStringList>

namespace tb::ui {

// QMessageBox and passphrase prompts behind a seam that tests can pre-answer (STYLE item 20).
// A pre-set answer is used once, and the dialog is not shown.
class MessageBox final
{
public:
    MessageBox() = delete;

    static QMessageBox::StandardButton critical(QWidget* parent, const QString& title, const QString& text);
    static QMessageBox::StandardButton warning(QWidget* parent, const QString& title, const QString& text);
    static QMessageBox::StandardButton information(QWidget* parent, const QString& title, const QString& text);
    static QMessageBox::StandardButton question(QWidget* parent, const QString& title, const QString& text,
                                                QMessageBox::StandardButtons buttons,
                                                QMessageBox::StandardButton defaultButton);
    // A passphrase prompt (echo off); nullopt when cancelled.
    static std::optional<QString> passphrase(QWidget* parent, const QString& title, const QString& label);

    // Test hooks.
    static void setNextAnswer(QMessageBox::StandardButton button);
    static void setNextPassphrase(std::optional<QString> passphrase);
    static QString lastText(); // the text of the last message or prompt, shown or answered
    static void resetHooks();
    // True in GUI test suites (TB_UNANSWERED_DIALOG_FAILS): a dialog or file picker nobody pre-answered is
    // logged and cancelled at once instead of waiting for a click until the watchdog kills the suite.
    static bool unansweredDialogsFail();

private:
    static QMessageBox::StandardButton show(QWidget* parent, QMessageBox::Icon icon, const QString& title,
                                            const QString& text, QMessageBox::StandardButtons buttons,
                                            QMessageBox::StandardButton defaultButton);
};

} // namespace tb::ui
