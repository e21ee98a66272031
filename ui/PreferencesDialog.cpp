#include "PreferencesDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include "support/Preferences.h"

namespace tb::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    const Preferences& prefs = Preferences::instance();

    m_theme = new QComboBox(this);
    m_theme->setObjectName(QStringLiteral("preferencesTheme"));
    m_theme->setAccessibleName(tr("Appearance"));
    m_theme->addItem(tr("Follow the system"), int(Preferences::Theme::System));
    m_theme->addItem(tr("Light"), int(Preferences::Theme::Light));
    m_theme->addItem(tr("Dark"), int(Preferences::Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(prefs.theme())));

    m_leeway = new QSpinBox(this);
    m_leeway->setObjectName(QStringLiteral("preferencesLeeway"));
    m_leeway->setAccessibleName(tr("Default leeway in seconds"));
    m_leeway->setRange(0, 86400);
    m_leeway->setSuffix(tr(" s"));
    m_leeway->setValue(prefs.defaultLeeway());
    m_leeway->setToolTip(tr("Clock-skew allowance applied to exp, nbf and iat when Verify starts."));

    m_accessLifetime = new QSpinBox(this);
    m_accessLifetime->setObjectName(QStringLiteral("preferencesAccessLifetime"));
    m_accessLifetime->setAccessibleName(tr("Longest access-token lifetime in minutes"));
    m_accessLifetime->setRange(1, 525600);
    m_accessLifetime->setSuffix(tr(" min"));
    m_accessLifetime->setValue(prefs.maxAccessLifetimeMinutes());
    m_accessLifetime->setToolTip(tr("The linter reports access tokens that live longer than this."));

    m_threads = new QSpinBox(this);
    m_threads->setObjectName(QStringLiteral("preferencesThreads"));
    m_threads->setAccessibleName(tr("Threads for the weak-secret search"));
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setValue(prefs.crackThreads());

    auto* form = new QFormLayout;
    form->addRow(tr("&Appearance:"), m_theme);
    form->addRow(tr("Default &leeway:"), m_leeway);
    form->addRow(tr("Longest access-token &lifetime:"), m_accessLifetime);
    form->addRow(tr("Weak-secret search &threads:"), m_threads);

    auto* note = new QLabel(tr("Preferences are kept for this user on this machine, never in workspace files."), this);
    note->setWordWrap(true);
    note->setEnabled(false);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

PreferencesDialog::~PreferencesDialog() = default;

void PreferencesDialog::apply()
{
    Preferences& prefs = Preferences::instance();
    const auto theme = Preferences::Theme(m_theme->currentData().toInt());
    prefs.setDefaultLeeway(m_leeway->value());
    prefs.setMaxAccessLifetimeMinutes(m_accessLifetime->value());
    prefs.setCrackThreads(m_threads->value());
    if (theme != prefs.theme()) {
        prefs.setTheme(theme);
        Preferences::applyTheme(theme);
    }
}

} // namespace tb::ui
