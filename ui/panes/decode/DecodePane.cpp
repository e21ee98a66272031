#include "DecodePane.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "ClaimsModel.h"
#include "IdentityBanner.h"
#include "JweDecryptPanel.h"
#include "JweEncryptPanel.h"
#include "Workspace.h"
#include "inspect/Identify.h"
#include "jose/Base64Url.h"
#include "jose/JsonText.h"
#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "support/Async.h"
#include "support/Theme.h"
#include "widgets/JsonEditor.h"
#include "widgets/TokenEdit.h"
#include "widgets/TokenView.h"

namespace tb::ui {

namespace {

constexpr qsizetype asyncDecodeBytes = 256 * 1024;
constexpr qsizetype cookieLimit = 4096;
constexpr qsizetype headerLimit = 8192;

// Labels change only when their text or colour does: each change repaints, and this runs per keystroke.
void setColouredText(QLabel* label, const QString& text, const QColor& colour)
{
    if (label->text() != text) {
        label->setText(text);
    }
    if (label->palette().color(QPalette::WindowText) != colour) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, colour);
        label->setPalette(p);
    }
}

QString sizeText(qsizetype size)
{
    const auto verdict = [size](qsizetype limit) {
        return size <= limit ? QObject::tr("fits") : QObject::tr("over by %1 bytes").arg(size - limit);
    };
    return QObject::tr("%1 bytes · cookie limit 4 KB: %2 · header limit 8 KB: %3")
        .arg(QLocale().toString(size), verdict(cookieLimit), verdict(headerLimit));
}

QLabel* stateLabel(const QString& name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// Kinds that look like tokens but are not JWTs: the editors show their decoded parts, read-only.
bool isLookAlike(const QString& kind)
{
    static const QStringList jose = {QStringLiteral("jws"), QStringLiteral("unsecured-jwt"), QStringLiteral("jwe"),
                                     QStringLiteral("unknown")};
    return !jose.contains(kind);
}

QString needForAlg(const QString& alg)
{
    if (alg == QLatin1String("dir")) {
        return QObject::tr("the shared content-encryption key itself (alg \"dir\")");
    }
    if (alg.startsWith(QLatin1String("RSA"))) {
        return QObject::tr("the recipient's RSA private key");
    }
    if (alg.startsWith(QLatin1String("ECDH"))) {
        return QObject::tr("the recipient's EC or X25519/X448 private key");
    }
    if (alg.startsWith(QLatin1String("PBES2"))) {
        return QObject::tr("the password");
    }
    if (alg.startsWith(QLatin1String("A"))) {
        return QObject::tr("the shared AES key");
    }
    return QObject::tr("the key named by its \"alg\"");
}

} // namespace

// Everything the pane needs from an input, computed by core calls only (on a worker thread for large inputs).
struct DecodedInput
{
    QByteArray raw;
    inspect::Identification id;
    std::optional<Result<jose::CompactToken>> compact; // absent for JSON input
    std::optional<jose::jwe::HeaderView> jwe;
    QString jweError;
    std::optional<jose::JsonScan> payloadScan; // for payloads the editor shows as large text

    static DecodedInput decode(const QByteArray& raw)
    {
        DecodedInput d;
        d.raw = raw;
        d.id = inspect::identify(raw);
        if (!raw.startsWith('{')) {
            d.compact = jose::parseCompact(raw);
        }
        const bool compactJwe = d.compact && *d.compact && (*d.compact)->kind == jose::TokenKind::Jwe;
        if (d.compact && *d.compact && (*d.compact)->kind == jose::TokenKind::Jws) {
            const QByteArray& payload = (*d.compact)->payload;
            if (payload.size() > JsonEditor::largeTextBytes) {
                d.payloadScan = jose::scanJson(payload);
            }
        }
        if (compactJwe || (raw.startsWith('{') && d.id.kind == QStringLiteral("jwe"))) {
            auto view = jose::jwe::readHeader(raw);
            if (view) {
                d.jwe = *view;
            } else {
                d.jweError = view.error().message;
            }
        }
        return d;
    }
};

DecodePane::DecodePane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("decodePane"));

    // Left column: what the input is, the encoded token, then the actions (sign, decrypt, encrypt) in tabs.
    m_decrypt = new JweDecryptPanel(m_workspace, this);
    m_encrypt = new JweEncryptPanel(m_workspace, this);
    m_actions = new QTabWidget(this);
    m_actions->setObjectName(QStringLiteral("decodeActions"));
    m_actions->addTab(buildSignTab(), tr("Sign"));
    m_actions->addTab(m_decrypt, tr("Decrypt (JWE)"));
    m_actions->addTab(m_encrypt, tr("Encrypt as JWE"));
    m_actions->setTabToolTip(SignTab, tr("Keep, strip or re-sign the signature of a JWS; copy or verify the result"));
    m_actions->setTabToolTip(DecryptTab, tr("A JWE's header explained, and decryption with a key from the store"));
    m_actions->setTabToolTip(EncryptTab, tr("Encrypt the payload text or the resulting JWS as a compact JWE"));

    auto* left = new QSplitter(Qt::Vertical, this);
    left->setObjectName(QStringLiteral("decodeLeftSplitter"));
    left->addWidget(buildInputBox());
    left->addWidget(m_actions);
    left->setChildrenCollapsible(false);
    left->setSizes({340, 520}); // proportions: the actions (a JWE's explained header) get the larger part

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("decodeSplitter"));
    split->addWidget(left);
    split->addWidget(buildEditors());
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 5);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connectSignals();
    refreshKeys();
    updateNow();
    reencode();
}

QWidget* DecodePane::buildInputBox()
{
    auto* inputBox = new QGroupBox(tr("Encoded token"), this);
    m_banner = new IdentityBanner(inputBox);
    m_input = new TokenEdit(inputBox);
    m_input->setObjectName(QStringLiteral("tokenInput"));
    m_input->setMinimumHeight(60);
    m_input->setAccessibleName(tr("Encoded token"));
    m_input->setPlaceholderText(
        tr("Paste a JWT, a JWE, an Authorization header or a cookie here (or anywhere with Ctrl+V); other tokens "
           "(PASETO, Fernet, Flask or Django signed values, ...) are identified"));
    m_inputStatus = stateLabel(QStringLiteral("tokenStatus"), inputBox);
    m_inputStatus->setWordWrap(true);
    m_inputSize = stateLabel(QStringLiteral("tokenSize"), inputBox);
    auto* inputLayout = new QVBoxLayout(inputBox);
    inputLayout->addWidget(m_banner);
    inputLayout->addWidget(m_input, 1);
    inputLayout->addWidget(m_inputSize);
    inputLayout->addWidget(m_inputStatus);
    return inputBox;
}

QWidget* DecodePane::buildSignTab()
{
    auto* tab = new QWidget(this);
    auto* signBox = new QGroupBox(tr("Signature"), tab);
    m_keep = new QRadioButton(tr("Keep the original signature"), signBox);
    m_keep->setObjectName(QStringLiteral("keepSignature"));
    m_strip = new QRadioButton(tr("Strip the signature (unsigned token)"), signBox);
    m_strip->setObjectName(QStringLiteral("stripSignature"));
    m_resign = new QRadioButton(tr("Re-sign with"), signBox);
    m_resign->setObjectName(QStringLiteral("resign"));
    m_keep->setChecked(true);
    m_key = new QComboBox(signBox);
    m_key->setObjectName(QStringLiteral("resignKey"));
    m_key->setAccessibleName(tr("Signing key"));
    m_key->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_key->setMinimumContentsLength(16);
    m_alg = new QComboBox(signBox);
    m_alg->setObjectName(QStringLiteral("resignAlg"));
    m_alg->setAccessibleName(tr("Signing algorithm"));
    m_signatureState = stateLabel(QStringLiteral("signatureState"), signBox);
    m_signError = stateLabel(QStringLiteral("signError"), signBox);
    m_signError->setWordWrap(true);
    auto* resignRow = new QHBoxLayout;
    resignRow->addWidget(m_resign);
    resignRow->addWidget(m_key, 1);
    resignRow->addWidget(m_alg);
    auto* signLayout = new QVBoxLayout(signBox);
    signLayout->addWidget(m_keep);
    signLayout->addWidget(m_strip);
    signLayout->addLayout(resignRow);
    signLayout->addWidget(m_signatureState);
    signLayout->addWidget(m_signError);

    auto* outputBox = new QGroupBox(tr("Resulting token"), tab);
    m_output = new TokenView(outputBox);
    m_output->setObjectName(QStringLiteral("outputToken"));
    m_output->setAccessibleName(tr("Resulting token"));
    m_outputSize = stateLabel(QStringLiteral("outputSize"), outputBox);
    // Rewritten on every keystroke: selectable text would lay out a text document each time (a tenth of a
    // keystroke's cost on a 16 KB token); the token itself is what gets copied.
    m_outputSize->setTextInteractionFlags(Qt::NoTextInteraction);
    m_copyToken = new QPushButton(tr("Copy token"), outputBox);
    m_copyToken->setObjectName(QStringLiteral("copyToken"));
    m_copyBearer = new QPushButton(tr("Copy Authorization header"), outputBox);
    m_copyBearer->setObjectName(QStringLiteral("copyBearer"));
    m_copyCurl = new QPushButton(tr("Copy curl"), outputBox);
    m_copyCurl->setObjectName(QStringLiteral("copyCurl"));
    m_verify = new QPushButton(tr("Verify…"), outputBox);
    m_verify->setObjectName(QStringLiteral("verifyResult"));
    auto* copyRow = new QHBoxLayout;
    copyRow->addWidget(m_copyToken);
    copyRow->addWidget(m_copyBearer);
    copyRow->addWidget(m_copyCurl);
    copyRow->addStretch(1);
    copyRow->addWidget(m_verify);
    auto* outputLayout = new QVBoxLayout(outputBox);
    outputLayout->addWidget(m_output, 1);
    outputLayout->addWidget(m_outputSize);
    outputLayout->addLayout(copyRow);

    auto* layout = new QVBoxLayout(tab);
    layout->addWidget(signBox);
    layout->addWidget(outputBox, 1);
    return tab;
}

QWidget* DecodePane::buildEditors()
{
    auto* headerBox = new QGroupBox(tr("Header"), this);
    m_header = new JsonEditor(QStringLiteral("header"), tr("Header JSON"), headerBox);
    m_headerState = stateLabel(QStringLiteral("headerState"), headerBox);
    m_jweNote = stateLabel(QStringLiteral("jweNote"), headerBox);
    m_jweNote->setWordWrap(true);
    m_jweNote->hide();
    auto* headerLayout = new QVBoxLayout(headerBox);
    headerLayout->addWidget(m_header, 1);
    headerLayout->addWidget(m_headerState);
    headerLayout->addWidget(m_jweNote);

    auto* payloadBox = new QGroupBox(tr("Payload"), this);
    m_payload = new JsonEditor(QStringLiteral("payload"), tr("Payload JSON"), payloadBox);
    m_payloadState = stateLabel(QStringLiteral("payloadState"), payloadBox);
    m_payloadState->setWordWrap(true);
    auto* payloadLayout = new QVBoxLayout(payloadBox);
    payloadLayout->addWidget(m_payload, 1);
    payloadLayout->addWidget(m_payloadState);

    auto* claimsBox = new QGroupBox(tr("Claims"), this);
    m_nowOverride = new QCheckBox(tr("Pretend now is (UTC)"), claimsBox);
    m_nowOverride->setObjectName(QStringLiteral("nowOverride"));
    m_nowEdit = new QDateTimeEdit(claimsBox);
    m_nowEdit->setObjectName(QStringLiteral("nowEdit"));
    m_nowEdit->setAccessibleName(tr("Overridden current time (UTC)"));
    m_nowEdit->setTimeSpec(Qt::UTC);
    m_nowEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_nowEdit->setCalendarPopup(true);
    m_nowEdit->setDateTime(QDateTime::currentDateTimeUtc());
    m_nowEdit->setEnabled(false);
    m_claims = new ClaimsModel(this);
    m_claimsView = new QTableView(claimsBox);
    m_claimsView->setObjectName(QStringLiteral("claimsTable"));
    m_claimsView->setAccessibleName(tr("Claims"));
    m_claimsView->setModel(m_claims);
    m_claimsView->verticalHeader()->hide();
    m_claimsView->setAlternatingRowColors(true);
    m_claimsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_claimsView->setWordWrap(false);
    m_claimsView->horizontalHeader()->setStretchLastSection(true);
    m_claimsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    auto* nowRow = new QHBoxLayout;
    nowRow->addWidget(m_nowOverride);
    nowRow->addWidget(m_nowEdit);
    nowRow->addStretch(1);
    auto* claimsLayout = new QVBoxLayout(claimsBox);
    claimsLayout->addLayout(nowRow);
    claimsLayout->addWidget(m_claimsView, 1);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(headerBox);
    right->addWidget(payloadBox);
    right->addWidget(claimsBox);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    right->setStretchFactor(2, 3);
    return right;
}

void DecodePane::connectSignals()
{
    auto* group = new QButtonGroup(this);
    group->addButton(m_keep);
    group->addButton(m_strip);
    group->addButton(m_resign);
    connect(m_input, &QPlainTextEdit::textChanged, this, &DecodePane::inputChanged);
    connect(m_header, &JsonEditor::edited, this, &DecodePane::reencode);
    connect(m_payload, &JsonEditor::edited, this, &DecodePane::reencode);
    connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool checked) {
        if (checked) {
            if (m_resign->isChecked()) {
                alignHeaderAlg();
            }
            reencode();
        }
    });
    connect(m_key, &QComboBox::currentIndexChanged, this, [this] {
        refreshAlgs();
        if (m_resign->isChecked()) {
            alignHeaderAlg();
            reencode();
        }
    });
    connect(m_alg, &QComboBox::currentIndexChanged, this, [this] {
        if (m_resign->isChecked()) {
            alignHeaderAlg();
            reencode();
        }
    });
    connect(m_copyToken, &QPushButton::clicked, this,
            [this] { copyText(QString::fromLatin1(m_result), tr("The token was copied.")); });
    connect(m_copyBearer, &QPushButton::clicked, this, [this] {
        copyText(QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(m_result),
                 tr("The Authorization header was copied."));
    });
    connect(m_copyCurl, &QPushButton::clicked, this, [this] {
        copyText(QStringLiteral("curl -H 'Authorization: Bearer %1' https://api.example.com/")
                     .arg(QString::fromLatin1(m_result)),
                 tr("A curl command was copied."));
    });
    connect(m_verify, &QPushButton::clicked, this, [this] { emit verifyRequested(m_result); });
    connect(m_decrypt, &JweDecryptPanel::decrypted, this, &DecodePane::decryptedPlaintext);
    connect(m_decrypt, &JweDecryptPanel::statusMessage, this, &DecodePane::statusMessage);
    connect(m_encrypt, &JweEncryptPanel::statusMessage, this, &DecodePane::statusMessage);
    connect(m_encrypt, &JweEncryptPanel::openRequested, this, &DecodePane::openToken);
    connect(m_nowOverride, &QCheckBox::toggled, this, [this](bool on) {
        m_nowEdit->setEnabled(on);
        m_workspace->setNowOverride(on ? std::optional<double>(double(m_nowEdit->dateTime().toSecsSinceEpoch()))
                                       : std::nullopt);
    });
    connect(m_nowEdit, &QDateTimeEdit::dateTimeChanged, this, [this](const QDateTime& dt) {
        if (m_nowOverride->isChecked()) {
            m_workspace->setNowOverride(double(dt.toSecsSinceEpoch()));
        }
    });
    connect(m_workspace, &Workspace::nowChanged, this, &DecodePane::updateNow);
    connect(m_workspace, &Workspace::keysChanged, this, &DecodePane::refreshKeys);
    connect(m_workspace, &Workspace::currentTokenChanged, this, [this](const QByteArray& token) {
        if (token != m_input->token() && token != m_result) {
            openToken(token);
        }
    });
    auto* tick = new QTimer(this);
    tick->setInterval(15000);
    connect(tick, &QTimer::timeout, this, [this] {
        if (!m_workspace->nowOverride()) {
            updateNow();
        }
    });
    tick->start();
}

DecodePane::~DecodePane() = default;

void DecodePane::openToken(const QByteArray& token)
{
    m_input->setToken(token);
}

void DecodePane::inputChanged()
{
    const QByteArray raw = m_input->token();
    const int generation = ++m_parseGeneration;
    setColouredText(m_inputSize, raw.isEmpty() ? QString() : sizeText(raw.size()),
                    raw.size() > cookieLimit ? theme::warnColor(palette()) : palette().color(QPalette::WindowText));
    if (raw.isEmpty()) {
        m_original.reset();
        m_mode = Mode::Empty;
        m_nested = false;
        m_inputStatus->clear();
        m_banner->clear();
        m_jweNote->hide();
        m_decrypt->clear();
        m_header->setReadOnly(false);
        m_payload->setReadOnly(false);
        reencode();
        return;
    }
    if (raw.size() < asyncDecodeBytes) {
        applyDecoded(DecodedInput::decode(raw));
        return;
    }
    setColouredText(m_inputStatus, tr("Decoding %1 bytes…").arg(QLocale().toString(raw.size())),
                    palette().color(QPalette::PlaceholderText));
    runAsync<DecodedInput>(
        this, tr("Decoding a large token…"), [raw](QPromise<DecodedInput>&) { return DecodedInput::decode(raw); },
        [this, generation](const DecodedInput& decoded) {
            if (generation == m_parseGeneration) {
                applyDecoded(decoded);
            }
        });
}

void DecodePane::applyDecoded(const DecodedInput& decoded)
{
    m_banner->showIdentification(decoded.id);
    m_nested = false;
    const bool jws = decoded.compact && *decoded.compact && (*decoded.compact)->kind == jose::TokenKind::Jws;
    if (decoded.jwe) {
        showJwe(decoded);
    } else if (jws && !isLookAlike(decoded.id.kind)) {
        showJws(decoded);
    } else {
        showOther(decoded);
    }
}

void DecodePane::showJws(const DecodedInput& decoded)
{
    const jose::CompactToken& token = **decoded.compact;
    m_mode = Mode::Jws;
    m_original = token;
    m_loading = true;
    m_header->setReadOnly(false);
    m_payload->setReadOnly(false);
    m_header->setBytes(token.header);
    if (decoded.payloadScan) {
        m_payload->setBytes(token.payload, *decoded.payloadScan);
    } else {
        m_payload->setBytes(token.payload);
    }
    m_keep->setChecked(true);
    m_loading = false;
    m_jweNote->hide();
    m_decrypt->clear();
    m_actions->setCurrentIndex(SignTab);
    QStringList status;
    status << (token.isUnsigned() ? tr("An unsigned JWS (empty signature).")
                                  : tr("A JWS with a %1-byte signature.").arg(token.signature.size()));
    status << token.warnings;
    setColouredText(m_inputStatus, status.join(QLatin1Char('\n')),
                    token.warnings.isEmpty() ? palette().color(QPalette::WindowText) : theme::warnColor(palette()));
    reencode();
    if (decoded.raw != m_workspace->currentToken()) {
        m_workspace->setCurrentToken(decoded.raw);
    }
    emit statusMessage(tr("Decoded a %1-byte token.").arg(decoded.raw.size()));
}

void DecodePane::showJwe(const DecodedInput& decoded)
{
    const jose::jwe::HeaderView& view = *decoded.jwe;
    m_mode = Mode::Jwe;
    m_jwe = decoded.raw;
    m_original.reset();
    m_loading = true;
    m_header->setBytes(view.protectedHeader.isEmpty() ? QJsonDocument(view.header).toJson(QJsonDocument::Compact)
                                                      : view.protectedHeader);
    m_header->setReadOnly(true);
    m_payload->setBytes(QByteArray());
    m_payload->setReadOnly(true);
    m_keep->setChecked(true);
    m_loading = false;
    const QString alg = view.header.value(QStringLiteral("alg")).toString();
    const QString enc = view.header.value(QStringLiteral("enc")).toString();
    m_jweNote->setText(tr("Encrypted with alg \"%1\" and enc \"%2\". To decrypt it you need %3: choose it in the "
                          "Decrypt tab, where every header member is explained.")
                           .arg(alg, enc, needForAlg(alg)));
    m_jweNote->show();
    m_decrypt->setJwe(decoded.raw, view);
    m_actions->setCurrentIndex(DecryptTab);
    QStringList status{view.json ? tr("A JWE in JSON serialisation (%n recipient(s)): its header is shown; the "
                                      "payload is encrypted.",
                                      nullptr, view.recipients)
                                 : tr("A JWE (encrypted token): only its protected header can be read without the "
                                      "key.")};
    if (decoded.compact && *decoded.compact) {
        status << (*decoded.compact)->warnings;
    }
    setColouredText(m_inputStatus, status.join(QLatin1Char('\n')), palette().color(QPalette::WindowText));
    reencode();
    if (!view.json && decoded.raw != m_workspace->currentToken()) {
        m_workspace->setCurrentToken(decoded.raw);
    }
    emit statusMessage(tr("Decoded a %1-byte JWE header.").arg(decoded.raw.size()));
}

void DecodePane::showOther(const DecodedInput& decoded)
{
    m_original.reset();
    m_jweNote->hide();
    m_decrypt->clear();
    const bool lookAlike = isLookAlike(decoded.id.kind);
    // A string that is not a JWT: say why signing does not apply, and show what could be decoded, read-only.
    m_mode = Mode::Other;
    m_otherReason = tr("This is a %1, not a JWS: %2")
                        .arg(IdentityBanner::title(decoded.id.kind).toLower(),
                             decoded.id.cannot.value(0, tr("there is nothing to sign or verify.")));
    m_loading = true;
    m_header->setBytes(QByteArray());
    m_header->setReadOnly(true);
    m_payload->setBytes(decoded.id.details.isEmpty()
                            ? QByteArray()
                            : QJsonDocument(decoded.id.details).toJson(QJsonDocument::Indented));
    m_payload->setReadOnly(true);
    m_keep->setChecked(true);
    m_loading = false;
    QString status;
    if (!decoded.jweError.isEmpty()) {
        status = decoded.jweError;
    } else if (lookAlike) {
        status = decoded.id.details.isEmpty()
                     ? tr("Not a JWT: nothing in it can be decoded.")
                     : tr("Not a JWT: the parts tokenbench could decode are in the payload box (read-only).");
    } else if (decoded.compact && !*decoded.compact) {
        status = (*decoded.compact).error().message;
    } else {
        status = decoded.id.reason;
    }
    setColouredText(m_inputStatus, status, lookAlike ? theme::warnColor(palette()) : theme::failColor(palette()));
    reencode();
    if (!decoded.id.details.isEmpty()) {
        setColouredText(m_payloadState, tr("What tokenbench could decode of it (read-only): no JWT claims."),
                        palette().color(QPalette::WindowText));
    }
    emit statusMessage(tr("Identified: %1.").arg(IdentityBanner::title(decoded.id.kind)));
}

void DecodePane::decryptedPlaintext(const QByteArray& plaintext, bool nestedJws)
{
    if (m_mode != Mode::Jwe) {
        return;
    }
    m_loading = true;
    if (nestedJws) {
        auto nested = jose::parseCompact(plaintext.trimmed());
        if (nested && nested->kind == jose::TokenKind::Jws) {
            m_nested = true;
            m_original = *nested;
            m_header->setReadOnly(false);
            m_payload->setReadOnly(false);
            m_header->setBytes(nested->header);
            m_payload->setBytes(nested->payload);
            m_keep->setChecked(true);
            m_loading = false;
            m_jweNote->setText(tr("The header and payload above are the nested JWS, decrypted from the JWE: edit, "
                                  "re-sign and verify it in the Sign tab."));
            reencode();
            return;
        }
    }
    // JSON plaintext goes to the payload box (its claims explained below); anything else stays in the Decrypt tab.
    m_nested = false;
    const jose::JsonScan scan = jose::scanJson(plaintext);
    const bool json = !scan.error;
    m_payload->setBytes(json ? plaintext : QByteArray());
    m_loading = false;
    reencode();
    setColouredText(m_payloadState,
                    json ? tr("The decrypted plaintext (read-only).")
                         : tr("The decrypted plaintext is not JSON: it is shown in the Decrypt tab."),
                    theme::okColor(palette()));
}

bool DecodePane::signable() const
{
    return m_mode == Mode::Empty || m_mode == Mode::Jws || (m_mode == Mode::Jwe && m_nested);
}

QString DecodePane::notSignableReason() const
{
    if (m_mode == Mode::Jwe) {
        return tr("A JWE is encrypted, not signed: there is no signature to keep, strip, re-sign or verify. Decrypt "
                  "it in the Decrypt tab; a nested JWS can then be re-signed and verified.");
    }
    return m_otherReason;
}

void DecodePane::updateActions()
{
    const bool canSign = signable();
    const QString why = canSign ? QString() : notSignableReason();
    for (QWidget* w : {static_cast<QWidget*>(m_keep), static_cast<QWidget*>(m_strip), static_cast<QWidget*>(m_resign),
                       static_cast<QWidget*>(m_key), static_cast<QWidget*>(m_alg)}) {
        w->setEnabled(canSign);
        w->setToolTip(why);
    }
    const bool hasResult = !m_result.isEmpty();
    m_copyToken->setEnabled(hasResult);
    m_copyBearer->setEnabled(hasResult);
    m_copyCurl->setEnabled(hasResult);
    m_verify->setEnabled(hasResult && canSign);
    m_verify->setToolTip(canSign ? tr("Open the resulting token in the Verify pane") : why);
    m_actions->setTabToolTip(SignTab, canSign ? tr("Keep, strip or re-sign the signature of a JWS; copy or verify "
                                                   "the result")
                                              : why);
}

void DecodePane::alignHeaderAlg()
{
    if (m_loading || m_alg->currentIndex() < 0) {
        return;
    }
    const auto alg = jose::algFromName(m_alg->currentText());
    if (!alg) {
        return;
    }
    const QByteArray header = m_header->bytes();
    const auto object = jose::parseObject(header);
    if (object && object->value(QStringLiteral("alg")).toString() == m_alg->currentText()) {
        return;
    }
    const auto updated = jose::prepareHeader(header, *alg);
    if (updated && *updated != header) {
        m_header->setBytes(*updated);
    }
}

void DecodePane::reencode()
{
    if (m_loading) {
        return;
    }
    const QByteArray header = m_header->bytes();
    const QByteArray payload = m_payload->bytes();
    const bool jwe = m_mode == Mode::Jwe && !m_nested;
    m_signError->clear();
    QByteArray result;
    if (jwe) {
        result = m_jwe;
    } else if (m_mode == Mode::Other) {
        result.clear();
    } else if (m_resign->isChecked()) {
        const int row = m_key->currentData().toInt();
        const auto alg = jose::algFromName(m_alg->currentText());
        const auto& keyList = m_workspace->keys();
        if (!alg || row < 0 || row >= keyList.size()) {
            setColouredText(m_signError, tr("Choose a key with a private part in the Keys pane first."),
                            theme::warnColor(palette()));
        } else {
            const auto signedToken = jose::signCompact(*alg, keyList.at(row).key.get(), header, payload);
            if (signedToken) {
                result = *signedToken;
            } else {
                setColouredText(m_signError, signedToken.error().message, theme::failColor(palette()));
            }
        }
    } else {
        const auto segment = [&](const QByteArray& text, int index, const QByteArray& decoded) {
            if (m_original && text == decoded) {
                return m_original->segments.at(index); // the exact original bytes, quirks included
            }
            return jose::base64UrlEncode(text);
        };
        const QByteArray h = segment(header, 0, m_original ? m_original->header : QByteArray());
        const QByteArray p = segment(payload, 1, m_original ? m_original->payload : QByteArray());
        const QByteArray s = (m_keep->isChecked() && m_original) ? m_original->segments.value(2) : QByteArray();
        result = h + '.' + p + '.' + s;
        if (header.isEmpty() && payload.isEmpty() && !m_original) {
            result.clear();
        }
    }
    m_result = result;
    m_output->setToken(result);
    m_outputSize->setText(result.isEmpty() ? QString() : sizeText(result.size()));

    const QList<QByteArray> segs = result.split('.');
    if (m_original && !jwe && m_mode != Mode::Other && segs.size() == 3) {
        setSegmentState(m_headerState, tr("Header"), segs.at(0) == m_original->segments.at(0));
        setSegmentState(m_payloadState, tr("Payload"), segs.at(1) == m_original->segments.at(1));
        setSegmentState(m_signatureState, tr("Signature"), segs.at(2) == m_original->segments.value(2));
    } else {
        m_headerState->clear();
        m_payloadState->clear();
        m_signatureState->clear();
    }
    bool claimRowsChanged = false;
    if (m_payload->isValidObject() && m_mode != Mode::Other) { // decoded parts of a look-alike are no claims
        claimRowsChanged = m_claims->setClaims(jose::JsonObjectView(m_payload->scannedBytes(), m_payload->scan()));
    } else {
        claimRowsChanged = m_claims->setClaims(jose::JsonObjectView());
    }
    if (claimRowsChanged) { // measuring every cell costs more than the rest of a keystroke
        m_claimsView->resizeColumnsToContents();
    }
    m_encrypt->setSources(m_mode == Mode::Other ? QByteArray() : payload,
                          jwe || m_mode == Mode::Other ? QByteArray() : result);
    updateActions();
}

void DecodePane::setSegmentState(QLabel* label, const QString& what, bool identical)
{
    if (identical) {
        setColouredText(label, tr("%1: identical to the original bytes").arg(what), theme::okColor(palette()));
    } else {
        setColouredText(label, tr("%1: changed").arg(what), theme::warnColor(palette()));
    }
}

void DecodePane::refreshKeys()
{
    const QString previous = m_key->currentText();
    const QSignalBlocker blocker(m_key);
    m_key->clear();
    const auto& keyList = m_workspace->keys();
    for (int i = 0; i < keyList.size(); ++i) {
        const auto& k = keyList.at(i);
        if (k.key->hasPrivate() || k.key->type() == keys::KeyType::Oct) {
            m_key->addItem(k.name, i);
        }
    }
    if (m_key->count() == 0) {
        m_key->addItem(tr("(no private key in the store)"), -1);
    }
    const int idx = m_key->findText(previous);
    m_key->setCurrentIndex(idx < 0 ? 0 : idx);
    refreshAlgs();
    if (m_resign->isChecked()) {
        reencode();
    }
}

void DecodePane::refreshAlgs()
{
    const QString previous = m_alg->currentText();
    const QSignalBlocker blocker(m_alg);
    m_alg->clear();
    const int row = m_key->currentData().toInt();
    const auto& keyList = m_workspace->keys();
    if (row >= 0 && row < keyList.size()) {
        for (jose::Alg alg : keyList.at(row).key->fittingAlgs()) {
            m_alg->addItem(jose::algName(alg));
        }
    }
    const int idx = m_alg->findText(previous);
    m_alg->setCurrentIndex(idx < 0 ? 0 : idx);
}

void DecodePane::updateNow()
{
    const auto override = m_workspace->nowOverride();
    {
        const QSignalBlocker b1(m_nowOverride);
        const QSignalBlocker b2(m_nowEdit);
        m_nowOverride->setChecked(override.has_value());
        m_nowEdit->setEnabled(override.has_value());
        if (override) {
            m_nowEdit->setDateTime(QDateTime::fromSecsSinceEpoch(qint64(*override), Qt::UTC));
        }
    }
    m_claims->setNow(m_workspace->now());
}

void DecodePane::copyText(const QString& text, const QString& what)
{
    QApplication::clipboard()->setText(text);
    emit statusMessage(what);
}

} // namespace tb::ui
