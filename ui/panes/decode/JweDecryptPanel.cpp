#include "JweDecryptPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringDecoder>
#include <QTableView>
#include <QVBoxLayout>

#include "JweHeaderModel.h"
#include "JweKeyChoice.h"
#include "Workspace.h"
#include "inspect/Identify.h"
#include "keys/KeyIo.h"
#include "support/Async.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

// The plaintext as text when it is UTF-8, else as hex with a note.
QString plaintextText(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError()) {
        return text;
    }
    return QObject::tr("(%1 bytes, not UTF-8; hex)\n%2").arg(bytes.size()).arg(QString::fromLatin1(bytes.toHex(' ')));
}

bool isCompactJws(const QByteArray& plaintext)
{
    const QString kind = inspect::identify(plaintext).kind;
    return kind == QStringLiteral("jws") || kind == QStringLiteral("unsecured-jwt");
}

} // namespace

JweDecryptPanel::JweDecryptPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("jweDecryptPanel"));
    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("jweIntro"));
    m_intro->setWordWrap(true);
    m_model = new JweHeaderModel(this);
    m_model->setPalette(palette());
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("jweHeaderTable"));
    m_table->setAccessibleName(tr("JWE header, each member explained"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setMinimumHeight(120);
    QHeaderView* columns = m_table->horizontalHeader();
    columns->setSectionResizeMode(JweHeaderModel::Member, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(JweHeaderModel::Value, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(JweHeaderModel::Meaning, QHeaderView::Stretch);
    columns->setSectionResizeMode(JweHeaderModel::Danger, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("jweDangerSummary"));
    m_summary->setWordWrap(true);

    m_key = new QComboBox(this);
    m_key->setObjectName(QStringLiteral("jweKey"));
    m_key->setAccessibleName(tr("Decryption key"));
    m_key->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_key->setMinimumContentsLength(16);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("jwePassword"));
    m_password->setAccessibleName(tr("PBES2 password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("PBES2 password (takes precedence over the key)"));
    m_decrypt = new QPushButton(tr("Decrypt"), this);
    m_decrypt->setObjectName(QStringLiteral("jweDecrypt"));
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_decrypt);
    auto* form = new QFormLayout;
    form->addRow(tr("Key:"), keyRow);
    form->addRow(tr("Password:"), m_password);
    m_passwordLabel = qobject_cast<QLabel*>(form->labelForField(m_password));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("jweStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum); // every line of it, never squeezed
    m_plaintextView = new QPlainTextEdit(this);
    m_plaintextView->setObjectName(QStringLiteral("jwePlaintext"));
    m_plaintextView->setAccessibleName(tr("Decrypted plaintext"));
    m_plaintextView->setReadOnly(true);
    m_plaintextView->setPlaceholderText(tr("The plaintext appears here after decryption."));
    m_plaintextView->setMaximumHeight(80);
    m_copy = new QPushButton(tr("Copy plaintext"), this);
    m_copy->setObjectName(QStringLiteral("jweCopyPlaintext"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_plaintextView);
    layout->addWidget(m_copy, 0, Qt::AlignLeft);

    connect(m_decrypt, &QPushButton::clicked, this, &JweDecryptPanel::decrypt);
    connect(m_key, &QComboBox::currentIndexChanged, this, &JweDecryptPanel::refreshNotes);
    connect(m_password, &QLineEdit::textChanged, this, &JweDecryptPanel::refreshNotes);
    connect(m_workspace, &Workspace::keysChanged, this, &JweDecryptPanel::refreshKeys);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_plaintextView->toPlainText());
        emit statusMessage(tr("The plaintext was copied."));
    });
    clear();
}

JweDecryptPanel::~JweDecryptPanel() = default;

void JweDecryptPanel::clear()
{
    ++m_generation;
    m_token.clear();
    m_view = {};
    m_plaintext.clear();
    m_intro->setText(tr("Paste a JWE (five segments, or its JSON serialisation) to see its header explained, every "
                        "dangerous member flagged, and to decrypt it with a key from the store."));
    m_model->setNotes({}, {});
    m_summary->clear();
    m_status->clear();
    m_plaintextView->clear();
    for (QWidget* w : {static_cast<QWidget*>(m_table), static_cast<QWidget*>(m_key), static_cast<QWidget*>(m_password),
                       static_cast<QWidget*>(m_decrypt), static_cast<QWidget*>(m_copy)}) {
        w->setEnabled(false);
    }
    m_password->hide();
    m_passwordLabel->hide();
}

void JweDecryptPanel::setJwe(const QByteArray& token, const jose::jwe::HeaderView& view)
{
    ++m_generation;
    m_token = token;
    m_view = view;
    m_plaintext.clear();
    m_plaintextView->clear();
    m_status->clear();
    const QString alg = view.header.value(QStringLiteral("alg")).toString();
    const QString enc = view.header.value(QStringLiteral("enc")).toString();
    m_intro->setText(view.json ? tr("JWE in JSON serialisation, %n recipient(s); the header below joins the "
                                    "protected, shared and first recipient's members.",
                                    nullptr, view.recipients)
                               : tr("Compact JWE: alg \"%1\", enc \"%2\".").arg(alg, enc));
    for (QWidget* w : {static_cast<QWidget*>(m_table), static_cast<QWidget*>(m_key), static_cast<QWidget*>(m_password),
                       static_cast<QWidget*>(m_decrypt)}) {
        w->setEnabled(true);
    }
    m_copy->setEnabled(false);
    const bool password = isPasswordAlg(headerAlg());
    m_password->setVisible(password);
    m_passwordLabel->setVisible(password);
    refreshKeys();
}

std::optional<jose::jwe::KeyAlg> JweDecryptPanel::headerAlg() const
{
    return jose::jwe::keyAlgFromName(m_view.header.value(QStringLiteral("alg")).toString());
}

void JweDecryptPanel::refreshKeys()
{
    // A JSON serialisation with several recipients: any key may fit one of them.
    fillJweKeys(m_key, *m_workspace, m_view.recipients > 1 ? std::nullopt : headerAlg(), true);
    refreshNotes();
}

keys::KeyPtr JweDecryptPanel::currentKey(QString* name) const
{
    if (!m_password->isHidden() && !m_password->text().isEmpty()) {
        *name = tr("the typed password");
        return keys::secretKey(m_password->text().toUtf8());
    }
    *name = m_key->currentText();
    return chosenJweKey(m_key, *m_workspace);
}

void JweDecryptPanel::refreshNotes()
{
    if (m_token.isEmpty()) {
        return;
    }
    QString name;
    const keys::KeyPtr key = currentKey(&name);
    m_model->setNotes(m_view.header, jose::jwe::explainHeader(m_view.header, {}, key.get()));
    const int dangers = m_model->dangerCount();
    QStringList names;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (!m_model->index(r, JweHeaderModel::Danger).data().toString().isEmpty()) {
            names << m_model->index(r, JweHeaderModel::Member).data(Qt::UserRole).toString();
        }
    }
    QPalette p = m_summary->palette();
    p.setColor(QPalette::WindowText, dangers ? theme::failColor(palette()) : theme::okColor(palette()));
    m_summary->setPalette(p);
    m_summary->setText(dangers ? tr("%1 of %2 header members need attention: %3.")
                                     .arg(dangers)
                                     .arg(m_model->rowCount())
                                     .arg(names.join(QStringLiteral(", ")))
                               : tr("No header member is dangerous%1.").arg(key ? tr(" with this key") : QString()));
    m_decrypt->setEnabled(key != nullptr);
}

void JweDecryptPanel::setStatus(const QString& text, const QColor& colour)
{
    m_status->setText(text);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, colour);
    m_status->setPalette(p);
}

void JweDecryptPanel::decrypt()
{
    QString name;
    const keys::KeyPtr key = currentKey(&name);
    if (!key || m_token.isEmpty()) {
        setStatus(tr("Choose a key (or type the password) first."), theme::warnColor(palette()));
        return;
    }
    const int generation = ++m_generation;
    const QByteArray token = m_token;
    setStatus(tr("Decrypting…"), palette().color(QPalette::PlaceholderText));
    m_decrypt->setEnabled(false);
    auto future = runAsync<Result<jose::jwe::Decrypted>>(
        this, tr("Decrypting the JWE…"),
        [token, key](QPromise<Result<jose::jwe::Decrypted>>&) { return jose::jwe::decrypt(token, *key); },
        [this, generation, name](const Result<jose::jwe::Decrypted>& result) {
            if (generation == m_generation) {
                showResult(result, name);
            }
        });
    auto* watcher = new QFutureWatcher<Result<jose::jwe::Decrypted>>(this);
    connect(watcher, &QFutureWatcherBase::canceled, this, [this, generation] {
        if (generation == m_generation) {
            setStatus(tr("Decryption cancelled."), theme::warnColor(palette()));
            m_decrypt->setEnabled(true);
        }
    });
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(future);
}

void JweDecryptPanel::showResult(const Result<jose::jwe::Decrypted>& result, const QString& keyName)
{
    m_decrypt->setEnabled(true);
    if (!result) {
        m_plaintext.clear();
        m_plaintextView->clear();
        m_copy->setEnabled(false);
        setStatus(result.error().message, theme::failColor(palette()));
        emit statusMessage(tr("Decryption failed."));
        return;
    }
    m_plaintext = result->plaintext;
    m_plaintextView->setPlainText(plaintextText(m_plaintext));
    m_copy->setEnabled(true);
    const bool nested = result->isNested() || isCompactJws(m_plaintext.trimmed());
    QStringList lines{tr("Decrypted with %1: %2 bytes of plaintext (%3, %4%5).")
                          .arg(keyName)
                          .arg(m_plaintext.size())
                          .arg(jose::jwe::keyAlgName(result->alg), jose::jwe::encAlgName(result->enc),
                               result->compressed ? tr(", inflated from zip DEF") : QString())};
    if (nested) {
        lines << tr("The plaintext is a nested JWS: it is open in the header and payload editors; verify it with "
                    "Verify….");
    }
    lines << result->warnings;
    setStatus(lines.join(QLatin1Char('\n')), theme::okColor(palette()));
    emit statusMessage(tr("Decrypted %1 bytes.").arg(m_plaintext.size()));
    emit decrypted(m_plaintext, nested);
}

} // namespace tb::ui
