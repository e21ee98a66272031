#include "UtilitiesPane.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "Workspace.h"
#include "base/Bytes.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "keys/KeyIo.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

enum CodecMode
{
    EncodeB64Url,
    EncodeB64,
    DecodeB64Url,
    DecodeB64,
};

QPlainTextEdit* monoEdit(const QString& name, const QString& accessible, bool readOnly, QWidget* parent)
{
    auto* e = new QPlainTextEdit(parent);
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    e->setReadOnly(readOnly);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    e->setTabChangesFocus(true);
    return e;
}

void colour(QLabel* label, const QColor& c)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, c);
    label->setPalette(p);
}

} // namespace

UtilitiesPane::UtilitiesPane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("utilitiesPane"));

    auto* codecBox = new QGroupBox(tr("Base64 and base64url"), this);
    m_codecMode = new QComboBox(codecBox);
    m_codecMode->setObjectName(QStringLiteral("codecMode"));
    m_codecMode->setAccessibleName(tr("Conversion"));
    m_codecMode->addItems({tr("Encode text → base64url"), tr("Encode text → base64"), tr("Decode base64url → bytes"),
                           tr("Decode base64 → bytes")});
    m_codecInput = monoEdit(QStringLiteral("codecInput"), tr("Input"), false, codecBox);
    m_codecText = monoEdit(QStringLiteral("codecText"), tr("Output as text"), true, codecBox);
    m_codecHex = monoEdit(QStringLiteral("codecHex"), tr("Output as hex"), true, codecBox);
    m_codecStatus = new QLabel(codecBox);
    m_codecStatus->setObjectName(QStringLiteral("codecStatus"));
    m_codecStatus->setWordWrap(true);
    auto* codecLayout = new QGridLayout(codecBox);
    codecLayout->addWidget(m_codecMode, 0, 0, 1, 2);
    codecLayout->addWidget(new QLabel(tr("Input"), codecBox), 1, 0);
    codecLayout->addWidget(m_codecInput, 2, 0, 3, 1);
    codecLayout->addWidget(new QLabel(tr("Output (text)"), codecBox), 1, 1);
    codecLayout->addWidget(m_codecText, 2, 1);
    codecLayout->addWidget(new QLabel(tr("Output (hex)"), codecBox), 3, 1);
    codecLayout->addWidget(m_codecHex, 4, 1);
    codecLayout->addWidget(m_codecStatus, 5, 0, 1, 2);

    auto* hashBox = new QGroupBox(tr("Hash and HMAC"), this);
    m_hashInput = monoEdit(QStringLiteral("hashInput"), tr("Data to hash"), false, hashBox);
    m_hashAlg = new QComboBox(hashBox);
    m_hashAlg->setObjectName(QStringLiteral("hashAlg"));
    m_hashAlg->setAccessibleName(tr("Hash function"));
    m_hashAlg->addItems({QStringLiteral("SHA-256"), QStringLiteral("SHA-384"), QStringLiteral("SHA-512")});
    m_hmacKey = new QLineEdit(hashBox);
    m_hmacKey->setObjectName(QStringLiteral("hmacKey"));
    m_hmacKey->setAccessibleName(tr("HMAC key"));
    m_hmacKey->setPlaceholderText(tr("empty: plain hash"));
    m_hmacKey->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_hmacEncoding = new QComboBox(hashBox);
    m_hmacEncoding->setObjectName(QStringLiteral("hmacEncoding"));
    m_hmacEncoding->setAccessibleName(tr("HMAC key encoding"));
    m_hmacEncoding->addItems({tr("UTF-8"), tr("base64"), tr("base64url"), tr("hex")});
    m_hashHex = new QLineEdit(hashBox);
    m_hashHex->setObjectName(QStringLiteral("hashHex"));
    m_hashHex->setReadOnly(true);
    m_hashHex->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_hashB64 = new QLineEdit(hashBox);
    m_hashB64->setObjectName(QStringLiteral("hashBase64Url"));
    m_hashB64->setReadOnly(true);
    m_hashB64->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_hashStatus = new QLabel(hashBox);
    m_hashStatus->setObjectName(QStringLiteral("hashStatus"));
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_hmacKey, 1);
    keyRow->addWidget(m_hmacEncoding);
    auto* hashForm = new QFormLayout;
    hashForm->addRow(tr("Function:"), m_hashAlg);
    hashForm->addRow(tr("HMAC key:"), keyRow);
    hashForm->addRow(tr("Hex:"), m_hashHex);
    hashForm->addRow(tr("base64url:"), m_hashB64);
    auto* hashLayout = new QVBoxLayout(hashBox);
    hashLayout->addWidget(m_hashInput, 1);
    hashLayout->addLayout(hashForm);
    hashLayout->addWidget(m_hashStatus);

    auto* secretBox = new QGroupBox(tr("Strong secret"), this);
    m_secretBytes = new QSpinBox(secretBox);
    m_secretBytes->setObjectName(QStringLiteral("secretBytes"));
    m_secretBytes->setAccessibleName(tr("Secret length in bytes"));
    m_secretBytes->setRange(1, 1024);
    m_secretBytes->setValue(32);
    m_secretBytes->setSuffix(tr(" bytes"));
    m_secretFormat = new QComboBox(secretBox);
    m_secretFormat->setObjectName(QStringLiteral("secretFormat"));
    m_secretFormat->setAccessibleName(tr("Secret format"));
    m_secretFormat->addItems({tr("base64url"), tr("hex")});
    auto* gen = new QPushButton(tr("Generate"), secretBox);
    gen->setObjectName(QStringLiteral("generateSecret"));
    auto* copy = new QPushButton(tr("Copy"), secretBox);
    copy->setObjectName(QStringLiteral("copySecret"));
    m_secretOut = new QLineEdit(secretBox);
    m_secretOut->setObjectName(QStringLiteral("secretOutput"));
    m_secretOut->setAccessibleName(tr("Generated secret"));
    m_secretOut->setReadOnly(true);
    m_secretOut->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secretVerdict = new QLabel(secretBox);
    m_secretVerdict->setObjectName(QStringLiteral("secretVerdict"));
    m_secretVerdict->setWordWrap(true);
    auto* secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secretBytes);
    secretRow->addWidget(m_secretFormat);
    secretRow->addWidget(gen);
    secretRow->addStretch(1);
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_secretOut, 1);
    outRow->addWidget(copy);
    auto* secretLayout = new QVBoxLayout(secretBox);
    secretLayout->addLayout(secretRow);
    secretLayout->addLayout(outRow);
    secretLayout->addWidget(m_secretVerdict);

    auto* layout = new QGridLayout(this);
    layout->addWidget(codecBox, 0, 0, 1, 2);
    layout->addWidget(hashBox, 1, 0);
    layout->addWidget(secretBox, 1, 1);
    layout->setRowStretch(0, 3);
    layout->setRowStretch(1, 2);

    connect(m_codecInput, &QPlainTextEdit::textChanged, this, &UtilitiesPane::updateCodec);
    connect(m_codecMode, &QComboBox::currentIndexChanged, this, &UtilitiesPane::updateCodec);
    connect(m_hashInput, &QPlainTextEdit::textChanged, this, &UtilitiesPane::updateHash);
    connect(m_hashAlg, &QComboBox::currentIndexChanged, this, &UtilitiesPane::updateHash);
    connect(m_hmacKey, &QLineEdit::textChanged, this, &UtilitiesPane::updateHash);
    connect(m_hmacEncoding, &QComboBox::currentIndexChanged, this, &UtilitiesPane::updateHash);
    connect(gen, &QPushButton::clicked, this, &UtilitiesPane::generateSecret);
    connect(m_secretFormat, &QComboBox::currentIndexChanged, this, &UtilitiesPane::generateSecret);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_secretOut->text()); });
    updateCodec();
    updateHash();
}

UtilitiesPane::~UtilitiesPane() = default;

void UtilitiesPane::updateCodec()
{
    const QString input = m_codecInput->toPlainText();
    QByteArray out;
    QString error;
    switch (m_codecMode->currentIndex()) {
    case EncodeB64Url:
        out = jose::base64UrlEncode(input.toUtf8());
        break;
    case EncodeB64:
        out = input.toUtf8().toBase64();
        break;
    case DecodeB64Url: {
        const auto d = jose::base64UrlDecodeLenient(bytes::trimmed(input.toLatin1()));
        if (d) {
            out = d->bytes;
            error = jose::describeQuirks(d->quirks, tr("input")).join(QLatin1Char(' '));
        } else {
            error = d.error().message;
        }
        break;
    }
    case DecodeB64: {
        const auto d = jose::base64Decode(bytes::trimmed(input.toLatin1()));
        if (d) {
            out = *d;
        } else {
            error = d.error().message;
        }
        break;
    }
    default:
        break;
    }
    m_codecText->setPlainText(QString::fromUtf8(out));
    m_codecHex->setPlainText(bytes::toHex(out));
    m_codecStatus->setText(error.isEmpty() ? tr("%n byte(s).", nullptr, int(out.size())) : error);
    colour(m_codecStatus, error.isEmpty() ? palette().color(QPalette::WindowText) : theme::warnColor(palette()));
}

void UtilitiesPane::updateHash()
{
    const QByteArray input = m_hashInput->toPlainText().toUtf8();
    const int which = m_hashAlg->currentIndex();
    const char* names[] = {"SHA256", "SHA384", "SHA512"};
    const jose::Alg hmacAlgs[] = {jose::Alg::HS256, jose::Alg::HS384, jose::Alg::HS512};
    Result<QByteArray> result = fail(ErrorCode::InvalidArgument, {});
    const QString keyText = m_hmacKey->text();
    QString label;
    if (keyText.isEmpty()) {
        result = crypto::digest(names[which], input);
        label = tr("%1 of %n byte(s).", nullptr, int(input.size())).arg(m_hashAlg->currentText());
    } else {
        Result<QByteArray> keyBytes = keyText.toUtf8();
        const QByteArray latin = keyText.trimmed().toLatin1();
        switch (m_hmacEncoding->currentIndex()) {
        case 1:
            keyBytes = jose::base64Decode(latin);
            break;
        case 2: {
            const auto d = jose::base64UrlDecodeLenient(latin);
            keyBytes = d ? Result<QByteArray>(d->bytes) : std::unexpected(d.error());
            break;
        }
        case 3:
            if (latin.size() % 2 != 0 || !std::all_of(latin.cbegin(), latin.cend(), [](char c) {
                    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                })) {
                keyBytes = fail(ErrorCode::InvalidArgument, tr("The key is not an even number of hex digits."));
            } else {
                keyBytes = QByteArray::fromHex(latin);
            }
            break;
        default:
            break;
        }
        if (!keyBytes) {
            result = std::unexpected(keyBytes.error());
        } else {
            const auto key = keys::secretKey(*keyBytes);
            cleanse(*keyBytes);
            result = crypto::hmac(hmacAlgs[which], *key, input);
            label = tr("HMAC-%1 with a %2-byte key.").arg(m_hashAlg->currentText()).arg(key->secret().size());
        }
    }
    if (result) {
        m_hashHex->setText(bytes::toHex(*result));
        m_hashB64->setText(QString::fromLatin1(jose::base64UrlEncode(*result)));
        m_hashStatus->setText(label);
        colour(m_hashStatus, palette().color(QPalette::WindowText));
    } else {
        m_hashHex->clear();
        m_hashB64->clear();
        m_hashStatus->setText(result.error().message);
        colour(m_hashStatus, theme::failColor(palette()));
    }
}

void UtilitiesPane::generateSecret()
{
    const int n = m_secretBytes->value();
    auto secret = crypto::secretRandomBytes(n);
    if (!secret) {
        m_secretVerdict->setText(secret.error().message);
        return;
    }
    QByteArray raw = secret->reveal();
    m_secretOut->setText(m_secretFormat->currentIndex() == 0 ? QString::fromLatin1(jose::base64UrlEncode(raw))
                                                             : bytes::toHex(raw));
    cleanse(raw);
    const int bits = n * 8;
    QString verdict;
    QColor c;
    if (bits >= 256) {
        verdict = tr("%1 bits of entropy: strong; enough for HS256 and above (RFC 7518 §3.2 wants at least the hash "
                     "size).")
                      .arg(bits);
        c = theme::okColor(palette());
    } else if (bits >= 128) {
        verdict = tr("%1 bits of entropy: cannot be guessed, but shorter than the HS256 hash size RFC 7518 asks for.")
                      .arg(bits);
        c = theme::warnColor(palette());
    } else {
        verdict = tr("%1 bits of entropy: weak; offline guessing against a captured token is realistic.").arg(bits);
        c = theme::failColor(palette());
    }
    m_secretVerdict->setText(verdict);
    colour(m_secretVerdict, c);
}

void UtilitiesPane::loadSample()
{
    m_codecInput->setPlainText(QStringLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    m_hashInput->setPlainText(QStringLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQ3MTEifQ"));
    m_hmacKey->setText(QStringLiteral("demo-secret-for-screenshots-0123456789abcdef"));
    generateSecret();
}

} // namespace tb::ui
