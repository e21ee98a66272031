#include "JweEncryptPanel.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "JweKeyChoice.h"
#include "Workspace.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "support/Async.h"
#include "support/Theme.h"
#include "widgets/TokenEdit.h"

namespace tb::ui {

namespace jwe = jose::jwe;

JweEncryptPanel::JweEncryptPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("jweEncryptPanel"));
    m_fromPayload = new QRadioButton(tr("The payload text"), this);
    m_fromPayload->setObjectName(QStringLiteral("encryptFromPayload"));
    m_fromJws = new QRadioButton(tr("The resulting JWS, nested (cty \"JWT\")"), this);
    m_fromJws->setObjectName(QStringLiteral("encryptFromJws"));
    m_fromPayload->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_fromPayload);
    group->addButton(m_fromJws);
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_fromPayload);
    sourceRow->addWidget(m_fromJws);
    sourceRow->addStretch(1);

    m_alg = new QComboBox(this);
    m_alg->setObjectName(QStringLiteral("encryptAlg"));
    m_alg->setAccessibleName(tr("Key management algorithm"));
    for (jwe::KeyAlg a : jwe::allKeyAlgs()) {
        m_alg->addItem(jwe::keyAlgName(a), int(a));
    }
    m_alg->setCurrentText(QStringLiteral("RSA-OAEP-256"));
    m_enc = new QComboBox(this);
    m_enc->setObjectName(QStringLiteral("encryptEnc"));
    m_enc->setAccessibleName(tr("Content encryption algorithm"));
    for (jwe::EncAlg e : jwe::allEncAlgs()) {
        m_enc->addItem(jwe::encAlgName(e), int(e));
    }
    m_enc->setCurrentText(QStringLiteral("A256GCM"));
    auto* algRow = new QHBoxLayout;
    algRow->addWidget(m_alg, 1);
    algRow->addWidget(new QLabel(tr("enc:"), this));
    algRow->addWidget(m_enc, 1);
    m_key = new QComboBox(this);
    m_key->setObjectName(QStringLiteral("encryptKey"));
    m_key->setAccessibleName(tr("Recipient key"));
    m_key->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_key->setMinimumContentsLength(16);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("encryptPassword"));
    m_password->setAccessibleName(tr("PBES2 password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("PBES2 password (takes precedence over the key)"));
    m_zip = new QCheckBox(tr("Compress first (zip \"DEF\")"), this);
    m_zip->setObjectName(QStringLiteral("encryptZip"));
    m_zip->setToolTip(tr("Compression before encryption lets the ciphertext length leak the content "
                         "(RFC 8725 §3.6): only for testing recipients."));
    m_encrypt = new QPushButton(tr("Encrypt"), this);
    m_encrypt->setObjectName(QStringLiteral("encryptButton"));
    auto* form = new QFormLayout;
    form->addRow(tr("Encrypt:"), sourceRow);
    form->addRow(tr("alg:"), algRow);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Password:"), m_password);
    m_passwordLabel = qobject_cast<QLabel*>(form->labelForField(m_password));
    auto* actionRow = new QHBoxLayout;
    actionRow->addWidget(m_zip);
    actionRow->addStretch(1);
    actionRow->addWidget(m_encrypt);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("encryptStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum); // every line of it, never squeezed
    m_output = new TokenEdit(this);
    m_output->setObjectName(QStringLiteral("encryptOutput"));
    m_output->setAccessibleName(tr("Encrypted token (compact JWE)"));
    m_output->setReadOnly(true);
    m_copy = new QPushButton(tr("Copy JWE"), this);
    m_copy->setObjectName(QStringLiteral("copyJwe"));
    m_open = new QPushButton(tr("Open in the editor"), this);
    m_open->setObjectName(QStringLiteral("openJwe"));
    m_open->setToolTip(tr("Paste the JWE into the encoded token box (its header explained in the Decrypt tab)"));
    auto* copyRow = new QHBoxLayout;
    copyRow->addWidget(m_copy);
    copyRow->addWidget(m_open);
    copyRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(actionRow);
    layout->addWidget(m_status);
    layout->addWidget(m_output, 1);
    layout->addLayout(copyRow);

    connect(m_alg, &QComboBox::currentIndexChanged, this, &JweEncryptPanel::algChanged);
    connect(m_workspace, &Workspace::keysChanged, this, &JweEncryptPanel::refreshKeys);
    connect(m_encrypt, &QPushButton::clicked, this, &JweEncryptPanel::encrypt);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(QString::fromLatin1(m_result));
        emit statusMessage(tr("The JWE was copied."));
    });
    connect(m_open, &QPushButton::clicked, this, [this] { emit openRequested(m_result); });
    algChanged();
    setSources({}, {});
}

JweEncryptPanel::~JweEncryptPanel() = default;

void JweEncryptPanel::setSources(const QByteArray& payloadText, const QByteArray& jws)
{
    m_payload = payloadText;
    m_jws = jws.count('.') == 2 ? jws : QByteArray();
    m_fromJws->setEnabled(!m_jws.isEmpty());
    m_fromJws->setToolTip(m_jws.isEmpty() ? tr("There is no JWS to nest: decode or build one first.") : QString());
    if (m_jws.isEmpty()) {
        m_fromPayload->setChecked(true);
    }
    m_copy->setEnabled(!m_result.isEmpty());
    m_open->setEnabled(!m_result.isEmpty());
}

void JweEncryptPanel::algChanged()
{
    const bool password = isPasswordAlg(jwe::KeyAlg(m_alg->currentData().toInt()));
    m_password->setVisible(password);
    m_passwordLabel->setVisible(password);
    refreshKeys();
}

void JweEncryptPanel::refreshKeys()
{
    fillJweKeys(m_key, *m_workspace, jwe::KeyAlg(m_alg->currentData().toInt()), false);
}

void JweEncryptPanel::setStatus(const QString& text, const QColor& colour)
{
    m_status->setText(text);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, colour);
    m_status->setPalette(p);
}

void JweEncryptPanel::encrypt()
{
    const auto alg = jwe::KeyAlg(m_alg->currentData().toInt());
    const auto enc = jwe::EncAlg(m_enc->currentData().toInt());
    keys::KeyPtr key = chosenJweKey(m_key, *m_workspace);
    QString keyName = m_key->currentText();
    if (!m_password->isHidden() && !m_password->text().isEmpty()) {
        key = keys::secretKey(m_password->text().toUtf8());
        keyName = tr("the typed password");
    }
    if (!key) {
        setStatus(tr("Choose a key that fits %1 (or type a password for PBES2).").arg(jwe::keyAlgName(alg)),
                  theme::warnColor(palette()));
        return;
    }
    const bool nested = m_fromJws->isChecked() && !m_jws.isEmpty();
    const QByteArray plaintext = nested ? m_jws : m_payload;
    QByteArray header;
    if (nested || m_zip->isChecked()) {
        QByteArrayList members;
        if (nested) {
            members << "\"cty\":\"JWT\"";
        }
        if (m_zip->isChecked()) {
            members << "\"zip\":\"DEF\"";
        }
        header = '{' + members.join(',') + '}';
    }
    const int generation = ++m_generation;
    setStatus(tr("Encrypting…"), palette().color(QPalette::PlaceholderText));
    auto future = runAsync<Result<QByteArray>>(
        this, tr("Encrypting…"),
        [key, alg, enc, plaintext, header](QPromise<Result<QByteArray>>&) {
            return jwe::encryptCompact(*key, alg, enc, plaintext, header);
        },
        [this, generation, keyName, alg, enc, nested, size = plaintext.size()](const Result<QByteArray>& token) {
            if (generation != m_generation) {
                return;
            }
            if (!token) {
                setStatus(token.error().message, theme::failColor(palette()));
                return;
            }
            m_result = *token;
            m_output->setToken(m_result);
            m_copy->setEnabled(true);
            m_open->setEnabled(true);
            setStatus(tr("Encrypted %1 bytes of %2 for %3 with %4 and %5: a %6-byte compact JWE.")
                          .arg(size)
                          .arg(nested ? tr("nested JWS") : tr("payload text"), keyName, jwe::keyAlgName(alg),
                               jwe::encAlgName(enc))
                          .arg(m_result.size()),
                      theme::okColor(palette()));
            emit statusMessage(tr("Encrypted as a %1-byte JWE.").arg(m_result.size()));
        });
    auto* watcher = new QFutureWatcher<Result<QByteArray>>(this);
    connect(watcher, &QFutureWatcherBase::canceled, this, [this, generation] {
        if (generation == m_generation) {
            setStatus(tr("Encryption cancelled."), theme::warnColor(palette()));
        }
    });
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(future);
}

} // namespace tb::ui
