#include "VerifyPane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "Workspace.h"
#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/Base64Url.h"
#include "keys/KeyIo.h"
#include "support/FileDialog.h"
#include "support/Preferences.h"
#include "support/Theme.h"
#include "widgets/TokenEdit.h"

namespace tb::ui {

namespace {

enum Encoding
{
    Utf8,
    Base64,
    Base64Url,
    Hex,
    FileBytes,
};

Result<QByteArray> decodeSecret(const QString& text, int encoding)
{
    const QByteArray latin = text.trimmed().toLatin1();
    switch (encoding) {
    case Utf8:
        return text.toUtf8();
    case Base64:
        return jose::base64Decode(latin);
    case Base64Url: {
        const auto decoded = jose::base64UrlDecodeLenient(latin);
        if (!decoded) {
            return std::unexpected(decoded.error());
        }
        return decoded->bytes;
    }
    case Hex: {
        const bool hexOnly = std::all_of(latin.cbegin(), latin.cend(),
                                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
        if (!hexOnly || latin.size() % 2 != 0) {
            return fail(ErrorCode::InvalidArgument, QObject::tr("The secret is not an even number of hex digits."));
        }
        return QByteArray::fromHex(latin);
    }
    case FileBytes: {
        QFile f(text.trimmed());
        if (!f.open(QIODevice::ReadOnly)) {
            return fail(ErrorCode::IoError, QObject::tr("Could not read the secret file: %1").arg(f.errorString()));
        }
        const QByteArray bytes = f.read(qint64(limits::maxKeyFileBytes) + 1);
        if (std::size_t(bytes.size()) > limits::maxKeyFileBytes) {
            return fail(ErrorCode::TooLarge, QObject::tr("The secret file is larger than 1 MiB."));
        }
        return bytes;
    }
    default:
        break;
    }
    return fail(ErrorCode::InvalidArgument, QObject::tr("Unknown secret encoding."));
}

} // namespace

VerifyPane::VerifyPane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("verifyPane"));

    auto* tokenBox = new QGroupBox(tr("Token"), this);
    m_token = new TokenEdit(tokenBox);
    m_token->setObjectName(QStringLiteral("verifyToken"));
    m_token->setAccessibleName(tr("Token to verify"));
    m_token->setPlaceholderText(tr("The token to verify"));
    auto* take = new QPushButton(tr("Use the token from Decode && Edit"), tokenBox);
    take->setObjectName(QStringLiteral("takeCurrentToken"));
    auto* tokenLayout = new QVBoxLayout(tokenBox);
    tokenLayout->addWidget(m_token, 1);
    tokenLayout->addWidget(take, 0, Qt::AlignRight);

    auto* keyBox = new QGroupBox(tr("Key"), this);
    m_source = new QComboBox(keyBox);
    m_source->setObjectName(QStringLiteral("keySource"));
    m_source->setAccessibleName(tr("Where the key comes from"));
    m_source->addItems({tr("Key store"), tr("Pasted PEM, JWK or JWK Set"), tr("Shared secret (HMAC)")});
    m_sourceStack = new QStackedWidget(keyBox);
    m_storeKey = new QComboBox(m_sourceStack);
    m_storeKey->setObjectName(QStringLiteral("storeKey"));
    m_storeKey->setAccessibleName(tr("Key from the key store"));
    m_pasted = new QPlainTextEdit(m_sourceStack);
    m_pasted->setObjectName(QStringLiteral("pastedKey"));
    m_pasted->setAccessibleName(tr("Pasted key"));
    m_pasted->setPlaceholderText(tr("-----BEGIN PUBLIC KEY----- … or {\"kty\": …} or {\"keys\": […]}"));
    m_pasted->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* secretPage = new QWidget(m_sourceStack);
    m_secret = new QLineEdit(secretPage);
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secret->setAccessibleName(tr("Shared secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("The HMAC secret"));
    auto* reveal = new QCheckBox(tr("Show"), secretPage);
    reveal->setObjectName(QStringLiteral("revealSecret"));
    m_encoding = new QComboBox(secretPage);
    m_encoding->setObjectName(QStringLiteral("secretEncoding"));
    m_encoding->setAccessibleName(tr("Secret encoding"));
    m_encoding->addItems({tr("UTF-8 text"), tr("base64"), tr("base64url"), tr("hex"), tr("file (path)")});
    m_browse = new QPushButton(tr("Browse…"), secretPage);
    m_browse->setObjectName(QStringLiteral("browseSecret"));
    m_browse->setEnabled(false);
    auto* secretLayout = new QGridLayout(secretPage);
    secretLayout->setContentsMargins(0, 0, 0, 0);
    secretLayout->addWidget(m_secret, 0, 0, 1, 2);
    secretLayout->addWidget(reveal, 0, 2);
    secretLayout->addWidget(new QLabel(tr("Encoding:"), secretPage), 1, 0);
    secretLayout->addWidget(m_encoding, 1, 1);
    secretLayout->addWidget(m_browse, 1, 2);
    secretLayout->setRowStretch(2, 1);
    auto* storePage = new QWidget(m_sourceStack);
    auto* storeLayout = new QVBoxLayout(storePage);
    storeLayout->setContentsMargins(0, 0, 0, 0);
    m_storeKey->setParent(storePage);
    storeLayout->addWidget(m_storeKey);
    storeLayout->addStretch(1);
    m_sourceStack->addWidget(storePage);
    m_sourceStack->addWidget(m_pasted);
    m_sourceStack->addWidget(secretPage);
    auto* keyLayout = new QVBoxLayout(keyBox);
    keyLayout->addWidget(m_source);
    keyLayout->addWidget(m_sourceStack, 1);

    auto* policyBox = new QGroupBox(tr("Policy"), this);
    m_fittingOnly = new QCheckBox(tr("Allow only the algorithms that fit the key"), policyBox);
    m_fittingOnly->setObjectName(QStringLiteral("fittingAlgsOnly"));
    m_fittingOnly->setChecked(true);
    auto* algGrid = new QGridLayout;
    const QList<jose::Alg> algs = jose::allAlgs();
    for (int i = 0; i < algs.size(); ++i) {
        auto* box = new QCheckBox(jose::algName(algs.at(i)), policyBox);
        box->setObjectName(QStringLiteral("alg_") + jose::algName(algs.at(i)));
        box->setAccessibleName(tr("Allow %1").arg(jose::algName(algs.at(i))));
        box->setEnabled(false);
        box->setChecked(algs.at(i) != jose::Alg::None);
        algGrid->addWidget(box, i / 5, i % 5);
        m_algs.append(box);
    }
    m_leeway = new QDoubleSpinBox(policyBox);
    m_leeway->setObjectName(QStringLiteral("leeway"));
    m_leeway->setAccessibleName(tr("Leeway in seconds"));
    m_leeway->setRange(0, 86400);
    m_leeway->setDecimals(0);
    m_leeway->setSuffix(tr(" s"));
    m_leeway->setValue(Preferences::instance().defaultLeeway());
    m_issuer = new QLineEdit(policyBox);
    m_issuer->setObjectName(QStringLiteral("issuer"));
    m_issuer->setAccessibleName(tr("Expected issuer"));
    m_issuer->setPlaceholderText(tr("any"));
    m_audience = new QLineEdit(policyBox);
    m_audience->setObjectName(QStringLiteral("audience"));
    m_audience->setAccessibleName(tr("Expected audience"));
    m_audience->setPlaceholderText(tr("any"));
    m_required = new QLineEdit(policyBox);
    m_required->setObjectName(QStringLiteral("requiredClaims"));
    m_required->setAccessibleName(tr("Required claims"));
    m_required->setPlaceholderText(tr("e.g. exp, sub"));
    m_trustEmbedded = new QCheckBox(tr("Trust a key embedded in the token (jwk, x5c): self-asserted"), policyBox);
    m_trustEmbedded->setObjectName(QStringLiteral("trustEmbedded"));
    m_now = new QLabel(policyBox);
    m_now->setObjectName(QStringLiteral("verifyNow"));
    auto* form = new QFormLayout;
    form->addRow(tr("Leeway:"), m_leeway);
    form->addRow(tr("Issuer (iss):"), m_issuer);
    form->addRow(tr("Audience (aud):"), m_audience);
    form->addRow(tr("Required claims:"), m_required);
    form->addRow(tr("Now:"), m_now);
    auto* policyLayout = new QVBoxLayout(policyBox);
    policyLayout->addWidget(m_fittingOnly);
    policyLayout->addLayout(algGrid);
    policyLayout->addLayout(form);
    policyLayout->addWidget(m_trustEmbedded);

    m_verify = new QPushButton(tr("Verify"), this);
    m_verify->setObjectName(QStringLiteral("verifyButton"));
    m_verify->setDefault(true);
    m_verify->setToolTip(tr("Verify the token (Ctrl+Return)"));
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);

    auto* verdictBox = new QGroupBox(tr("Verdict"), this);
    m_verdict = new QLabel(verdictBox);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_verdict->setFont(big);
    m_checks = new QListWidget(verdictBox);
    m_checks->setObjectName(QStringLiteral("checks"));
    m_checks->setAccessibleName(tr("Checks"));
    m_checks->setWordWrap(true);
    m_keyUsed = new QLabel(verdictBox);
    m_keyUsed->setObjectName(QStringLiteral("keyUsed"));
    m_keyUsed->setWordWrap(true);
    m_keyUsed->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings = new QListWidget(verdictBox);
    m_warnings->setObjectName(QStringLiteral("warnings"));
    m_warnings->setAccessibleName(tr("Warnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setMaximumHeight(90);
    auto* verdictLayout = new QVBoxLayout(verdictBox);
    verdictLayout->addWidget(m_verdict);
    verdictLayout->addWidget(m_checks, 1);
    verdictLayout->addWidget(m_keyUsed);
    verdictLayout->addWidget(new QLabel(tr("Warnings:"), verdictBox));
    verdictLayout->addWidget(m_warnings);

    auto* inputs = new QWidget(this);
    auto* inputsLayout = new QVBoxLayout(inputs);
    inputsLayout->setContentsMargins(0, 0, 0, 0);
    inputsLayout->addWidget(tokenBox, 2);
    inputsLayout->addWidget(keyBox, 2);
    inputsLayout->addWidget(policyBox);
    inputsLayout->addWidget(m_verify, 0, Qt::AlignRight);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(inputs);
    split->addWidget(verdictBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_source, &QComboBox::currentIndexChanged, m_sourceStack, &QStackedWidget::setCurrentIndex);
    connect(reveal, &QCheckBox::toggled, this,
            [this](bool on) { m_secret->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    connect(m_encoding, &QComboBox::currentIndexChanged, this, [this](int i) { m_browse->setEnabled(i == FileBytes); });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString path = FileDialog::openFileName(this, tr("Secret file"));
        if (!path.isEmpty()) {
            m_secret->setText(path);
        }
    });
    connect(m_fittingOnly, &QCheckBox::toggled, this, [this](bool on) {
        for (QCheckBox* box : std::as_const(m_algs)) {
            box->setEnabled(!on);
        }
    });
    connect(take, &QPushButton::clicked, this, [this] { setToken(m_workspace->currentToken()); });
    connect(m_verify, &QPushButton::clicked, this, &VerifyPane::verify);
    connect(shortcut, &QShortcut::activated, this, &VerifyPane::verify);
    connect(m_workspace, &Workspace::keysChanged, this, &VerifyPane::refreshKeys);
    const auto showNow = [this] {
        const auto o = m_workspace->nowOverride();
        m_now->setText(o ? tr("%1 (overridden in Decode & Edit)").arg(bytes::utcString(*o)) : tr("the system clock"));
    };
    connect(m_workspace, &Workspace::nowChanged, this, showNow);
    showNow();
    refreshKeys();
}

VerifyPane::~VerifyPane() = default;

void VerifyPane::setToken(const QByteArray& token)
{
    m_token->setToken(token);
}

QByteArray VerifyPane::token() const
{
    return m_token->token();
}

void VerifyPane::refreshKeys()
{
    const QString previous = m_storeKey->currentText();
    m_storeKey->clear();
    const auto& keyList = m_workspace->keys();
    m_storeKey->addItem(tr("All keys in the store"), -2);
    for (int i = 0; i < keyList.size(); ++i) {
        m_storeKey->addItem(QStringLiteral("%1 — %2").arg(keyList.at(i).name, keyList.at(i).key->describe()), i);
    }
    const int idx = m_storeKey->findText(previous);
    m_storeKey->setCurrentIndex(idx < 0 ? (keyList.isEmpty() ? 0 : 1) : idx);
}

Result<validate::KeyInput> VerifyPane::keyInput() const
{
    validate::KeyInput input;
    switch (m_source->currentIndex()) {
    case FromStore: {
        const int row = m_storeKey->currentData().toInt();
        const auto& keyList = m_workspace->keys();
        if (row == -2) {
            if (keyList.isEmpty()) {
                return fail(ErrorCode::InvalidArgument, tr("The key store is empty: import or generate a key first."));
            }
            keys::JwkSet set;
            for (const auto& k : keyList) {
                set.keys.append(k.key);
            }
            input.jwks = set;
            input.origin = tr("the key store");
        } else if (row >= 0 && row < keyList.size()) {
            input.key = keyList.at(row).key;
            input.origin = tr("key store: %1").arg(keyList.at(row).name);
        } else {
            return fail(ErrorCode::InvalidArgument, tr("Choose a key."));
        }
        break;
    }
    case Pasted: {
        const QByteArray text = m_pasted->toPlainText().toUtf8();
        if (bytes::trimmed(text).isEmpty()) {
            return fail(ErrorCode::InvalidArgument, tr("Paste a PEM key, a JWK or a JWK Set first."));
        }
        if (text.contains("\"keys\"")) {
            const auto set = keys::importJwks(text);
            if (!set) {
                return std::unexpected(set.error());
            }
            input.jwks = *set;
            input.origin = tr("pasted JWK Set");
        } else {
            const auto key = keys::importKey(text);
            if (!key) {
                return std::unexpected(key.error());
            }
            input.key = *key;
            input.origin = tr("pasted key");
        }
        break;
    }
    case Secret: {
        const auto secret = decodeSecret(m_secret->text(), m_encoding->currentIndex());
        if (!secret) {
            return std::unexpected(secret.error());
        }
        input.key = keys::secretKey(*secret);
        input.origin = tr("shared secret, %1").arg(m_encoding->currentText());
        break;
    }
    default:
        break;
    }
    return input;
}

Result<validate::Policy> VerifyPane::policy() const
{
    validate::Policy p;
    if (!m_fittingOnly->isChecked()) {
        QList<jose::Alg> allowed;
        const QList<jose::Alg> algs = jose::allAlgs();
        for (int i = 0; i < algs.size(); ++i) {
            if (m_algs.at(i)->isChecked()) {
                allowed.append(algs.at(i));
            }
        }
        p.allowedAlgs = allowed;
    }
    p.now = m_workspace->now();
    p.leeway = m_leeway->value();
    if (!m_issuer->text().trimmed().isEmpty()) {
        p.issuer = m_issuer->text().trimmed();
    }
    if (!m_audience->text().trimmed().isEmpty()) {
        p.audience = m_audience->text().trimmed();
    }
    for (const QString& c : m_required->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!c.trimmed().isEmpty()) {
            p.requiredClaims.append(c.trimmed());
        }
    }
    p.trustEmbeddedKey = m_trustEmbedded->isChecked();
    return p;
}

void VerifyPane::showError(const QString& sentence)
{
    m_verdict->setText(sentence);
    QPalette pal = m_verdict->palette();
    pal.setColor(QPalette::WindowText, theme::failColor(palette()));
    m_verdict->setPalette(pal);
}

void VerifyPane::verify()
{
    m_checks->clear();
    m_warnings->clear();
    m_keyUsed->clear();
    const QByteArray token = m_token->token(); // read only: the token text is never changed here
    if (token.isEmpty()) {
        showError(tr("Paste a token to verify."));
        return;
    }
    const auto keys = keyInput();
    if (!keys) {
        showError(keys.error().message);
        return;
    }
    const auto pol = policy();
    const auto report = validate::verifyToken(token, *keys, *pol);
    if (!report) {
        showError(report.error().message);
        emit verified(false);
        return;
    }
    const QPalette pal = palette();
    for (const validate::Check& c : report->checks) {
        auto* item = new QListWidgetItem(
            QStringLiteral("%1  %2 — %3").arg(c.ok ? QStringLiteral("✔") : QStringLiteral("✘"), c.name, c.detail),
            m_checks);
        item->setForeground(c.ok ? theme::okColor(pal) : theme::failColor(pal));
        item->setData(Qt::UserRole, c.name);
        item->setData(Qt::UserRole + 1, c.ok);
        item->setData(Qt::UserRole + 2, c.detail);
        item->setData(Qt::AccessibleTextRole,
                      QStringLiteral("%1 %2: %3").arg(c.ok ? tr("passed") : tr("failed"), c.name, c.detail));
    }
    for (const QString& w : report->warnings) {
        auto* item = new QListWidgetItem(w, m_warnings);
        item->setForeground(theme::warnColor(pal));
    }
    const validate::Check* failure = report->firstFailure();
    if (report->valid) {
        m_verdict->setText(tr("Valid: every check passed."));
        QPalette vp = m_verdict->palette();
        vp.setColor(QPalette::WindowText, theme::okColor(pal));
        m_verdict->setPalette(vp);
    } else if (failure && failure->name == QStringLiteral("signature") &&
               report->signature == validate::SignatureState::NotChecked) {
        showError(tr("Not verified: %1").arg(failure->detail)); // OpenSSL failed: the token is not proven wrong
    } else {
        showError(tr("Invalid: %1").arg(failure ? failure->detail : tr("a check failed.")));
    }
    m_keyUsed->setText(report->keyUsed.isEmpty()
                           ? QString()
                           : tr("Key: %1 — %2")
                                 .arg(report->keyUsed, report->selfAsserted
                                                           ? tr("self-asserted by the token (not trusted by you)")
                                                           : tr("pinned by you")));
    emit statusMessage(report->valid ? tr("The token is valid.") : tr("The token is not valid."));
    emit verified(report->valid);
}

void VerifyPane::prepareScreenshot()
{
    runSampleVerification();
}

void VerifyPane::runSampleVerification()
{
    m_source->setCurrentIndex(FromStore);
    if (m_storeKey->count() > 1) {
        m_storeKey->setCurrentIndex(1);
    }
    m_issuer->setText(QStringLiteral("https://login.example.com"));
    m_audience->setText(QStringLiteral("api://orders"));
    m_required->setText(QStringLiteral("exp, sub"));
    verify();
}

} // namespace tb::ui
