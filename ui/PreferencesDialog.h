#pragma once

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace tb::ui {

// Edit > Preferences: appearance and the defaults panes start from. OK applies and stores them.
class PreferencesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

public:
    explicit PreferencesDialog(QWidget* parent = nullptr);
    ~PreferencesDialog() override;

    // Stores the values shown and applies the theme.
    void apply();

private:
    QComboBox* m_theme = nullptr;
    QSpinBox* m_leeway = nullptr;
    QSpinBox* m_accessLifetime = nullptr;
    QSpinBox* m_threads = nullptr;
};

} // namespace tb::ui
