#include "MessageBox.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QList>

namespace tb::ui {

namespace {
QList<QMessageBox::StandardButton> g_answers;
QList<std::optional<QString>> g_passphrases;
QString g_lastText;
} // namespace

QMessageBox::StandardButton MessageBox::show(QWidget* parent, QMessageBox::Icon icon, const QString& title,
                                             const QString& text, QMessageBox::StandardButtons buttons,
                                             QMessageBox::StandardButton defaultButton)
{
    g_lastText = text;
    if (!g_answers.isEmpty()) {
        return g_answers.takeFirst();
    }
    if (unansweredDialogsFail()) {
        qCritical("Unanswered dialog \"%s\": %s", qPrintable(title), qPrintable(text));
        return buttons.testFlag(QMessageBox::Cancel) ? QMessageBox::Cancel : defaultButton;
    }
    QMessageBox box(icon, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    return QMessageBox::StandardButton(box.exec());
}

QMessageBox::StandardButton MessageBox::critical(QWidget* parent, const QString& title, const QString& text)
{
    return show(parent, QMessageBox::Critical, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

QMessageBox::StandardButton MessageBox::warning(QWidget* parent, const QString& title, const QString& text)
{
    return show(parent, QMessageBox::Warning, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

QMessageBox::StandardButton MessageBox::information(QWidget* parent, const QString& title, const QString& text)
{
    return show(parent, QMessageBox::Information, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

QMessageBox::StandardButton MessageBox::question(QWidget* parent, const QString& title, const QString& text,
                                                 QMessageBox::StandardButtons buttons,
                                                 QMessageBox::StandardButton defaultButton)
{
    return show(parent, QMessageBox::Question, title, text, buttons, defaultButton);
}

std::optional<QString> MessageBox::passphrase(QWidget* parent, const QString& title, const QString& label)
{
    g_lastText = label;
    if (!g_passphrases.isEmpty()) {
        return g_passphrases.takeFirst();
    }
    if (unansweredDialogsFail()) {
        qCritical("Unanswered passphrase prompt \"%s\": %s", qPrintable(title), qPrintable(label));
        return std::nullopt;
    }
    bool ok = false;
    const QString text = QInputDialog::getText(parent, title, label, QLineEdit::Password, {}, &ok);
    if (!ok) {
        return std::nullopt;
    }
    return text;
}

bool MessageBox::unansweredDialogsFail()
{
    static const bool fail = qEnvironmentVariableIsSet("TB_UNANSWERED_DIALOG_FAILS");
    return fail;
}

void MessageBox::setNextAnswer(QMessageBox::StandardButton button)
{
    g_answers.append(button);
}

void MessageBox::setNextPassphrase(std::optional<QString> passphrase)
{
    g_passphrases.append(std::move(passphrase));
}

QString MessageBox::lastText()
{
    return g_lastText;
}

void MessageBox::resetHooks()
{
    g_answers.clear();
    g_passphrases.clear();
    g_lastText.clear();
}

} // namespace tb::ui
