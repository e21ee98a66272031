#include "AttackSection.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "Workspace.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "support/MessageBox.h"

namespace tb::ui {

namespace {

QToolButton* copyButton(const QString& name, const QString& tip, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setObjectName(name);
    b->setText(QObject::tr("Copy"));
    b->setToolTip(tip);
    b->setAccessibleName(tip);
    b->setAutoRaise(true);
    return b;
}

void fillKeys(QComboBox* box, const QList<workspace::NamedKey>& list, const QString& none, bool publicOnly)
{
    const QString previous = box->currentText();
    const QSignalBlocker block(box);
    box->clear();
    box->addItem(none, -1);
    for (int i = 0; i < list.size(); ++i) {
        if (publicOnly && list.at(i).key->type() == keys::KeyType::Oct) {
            continue; // algorithm confusion needs a public key
        }
        box->addItem(QStringLiteral("%1 — %2").arg(list.at(i).name, list.at(i).key->describe()), i);
    }
    box->setCurrentIndex(std::max(0, box->findText(previous)));
}

} // namespace

AttackSection::AttackSection(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_kinds = new QListWidget(this);
    m_kinds->setObjectName(QStringLiteral("attackKinds"));
    m_kinds->setAccessibleName(tr("Attack kinds"));
    for (const auto& k : attacks::attackKinds()) {
        auto* item = new QListWidgetItem(k.kind, m_kinds);
        item->setData(Qt::UserRole, k.kind);
        item->setToolTip(k.summary);
    }
    m_kinds->setMaximumWidth(170);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("attackTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("attackExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_needs = new QLabel(this);
    m_needs->setObjectName(QStringLiteral("attackNeeds"));
    m_needs->setWordWrap(true);

    m_signingKey = new QComboBox(this);
    m_signingKey->setObjectName(QStringLiteral("attackSigningKey"));
    m_signingKey->setAccessibleName(tr("Known signing key, for re-signing"));
    m_publicKey = new QComboBox(this);
    m_publicKey->setObjectName(QStringLiteral("attackPublicKey"));
    m_publicKey->setAccessibleName(tr("The verifier's public key, for algorithm confusion"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("attackUrl"));
    m_url->setAccessibleName(tr("URL you host (jku, x5u)"));
    m_url->setPlaceholderText(tr("https://attacker.example/jwks.json (jku, x5u)"));
    auto* form = new QFormLayout;
    form->addRow(tr("Signing key (tamper, exp):"), m_signingKey);
    form->addRow(tr("Verifier's public key (confusion):"), m_publicKey);
    form->addRow(tr("Your URL (jku, x5u):"), m_url);

    m_run = new QPushButton(tr("Craft tokens"), this);
    m_run->setObjectName(QStringLiteral("attackRun"));
    m_export = new QPushButton(tr("Export attack corpus…"), this);
    m_export->setObjectName(QStringLiteral("attackExportCorpus"));
    m_export->setToolTip(
        tr("Every kind that can run with these inputs, as one JSON file to replay against your verifier"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    m_tokens = new QTableWidget(0, 3, this);
    m_tokens->setObjectName(QStringLiteral("attackTokens"));
    m_tokens->setAccessibleName(tr("Crafted tokens"));
    m_tokens->setHorizontalHeaderLabels({tr("Variant"), tr("Token or file"), QString()});
    m_tokens->verticalHeader()->hide();
    m_tokens->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tokens->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tokens->setWordWrap(false);
    m_tokens->setTextElideMode(Qt::ElideMiddle);
    m_tokens->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tokens->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tokens->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tokens->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("attackStatus"));
    m_status->setWordWrap(true);

    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_explanation);
    detailLayout->addWidget(m_needs);
    detailLayout->addLayout(form);
    detailLayout->addLayout(buttons);
    detailLayout->addWidget(m_tokens, 1);
    detailLayout->addWidget(m_status);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_kinds);
    layout->addWidget(detail, 1);

    connect(m_kinds, &QListWidget::currentRowChanged, this, &AttackSection::showKind);
    connect(m_run, &QPushButton::clicked, this, &AttackSection::generate);
    connect(m_export, &QPushButton::clicked, this, &AttackSection::exportCorpus);
    connect(m_workspace, &Workspace::keysChanged, this, &AttackSection::refreshKeys);
    refreshKeys();
    m_kinds->setCurrentRow(0);
}

AttackSection::~AttackSection() = default;

void AttackSection::setToken(const QByteArray& token)
{
    m_token = token;
    showKind();
}

void AttackSection::selectKind(const QString& kind)
{
    for (int i = 0; i < m_kinds->count(); ++i) {
        if (m_kinds->item(i)->data(Qt::UserRole).toString() == kind) {
            m_kinds->setCurrentRow(i);
        }
    }
}

void AttackSection::refreshKeys()
{
    fillKeys(m_signingKey, m_workspace->keys(), tr("None (original signature kept)"), false);
    fillKeys(m_publicKey, m_workspace->keys(), tr("None"), true);
}

void AttackSection::showKind()
{
    const int row = m_kinds->currentRow();
    const auto& all = attacks::attackKinds();
    if (row < 0 || row >= all.size()) {
        return;
    }
    const attacks::KindInfo& k = all.at(row);
    m_title->setText(QStringLiteral("%1 — %2").arg(k.kind, k.summary));
    m_explanation->setText(k.explanation);
    m_needs->setText(k.needs == QStringLiteral("--key")   ? tr("Needs the verifier's public key (pick it below).")
                     : k.needs == QStringLiteral("--url") ? tr("Needs the URL where you will host the file.")
                                                          : QString());
    m_needs->setVisible(!m_needs->text().isEmpty());
    m_tokens->setRowCount(0);
    m_status->clear();
    m_run->setEnabled(!m_token.isEmpty());
    m_export->setEnabled(!m_token.isEmpty());
}

attacks::AttackInput AttackSection::input() const
{
    attacks::AttackInput in;
    in.token = m_token;
    const auto& list = m_workspace->keys();
    const int signing = m_signingKey->currentData().toInt();
    if (signing >= 0 && signing < list.size()) {
        in.signingKey = list.at(signing).key;
    }
    const int pub = m_publicKey->currentData().toInt();
    if (pub >= 0 && pub < list.size()) {
        in.publicKey = list.at(pub).key;
    }
    in.url = m_url->text().trimmed();
    return in;
}

void AttackSection::generate()
{
    const int row = m_kinds->currentRow();
    if (m_token.isEmpty() || row < 0) {
        return;
    }
    const QString kind = attacks::attackKinds().at(row).kind;
    m_run->setEnabled(false);
    runAsync<Result<attacks::AttackResult>>(
        this, tr("Crafting %1 tokens…").arg(kind),
        [kind, in = input()](QPromise<Result<attacks::AttackResult>>&) { return attacks::runAttack(kind, in); },
        [this, kind](const Result<attacks::AttackResult>& result) {
            m_run->setEnabled(true);
            if (m_kinds->currentRow() < 0 || attacks::attackKinds().at(m_kinds->currentRow()).kind != kind) {
                return; // the user moved on
            }
            if (!result) {
                m_tokens->setRowCount(0);
                m_status->setText(result.error().message);
                emit generated(false);
                return;
            }
            showResult(*result);
            emit generated(true);
        });
}

void AttackSection::showResult(const attacks::AttackResult& result)
{
    m_tokens->setRowCount(0);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const auto addRow = [&](const QString& name, const QByteArray& bytes, const QString& objectName, bool file) {
        const int row = m_tokens->rowCount();
        m_tokens->insertRow(row);
        auto* nameItem = new QTableWidgetItem(file ? tr("file: %1").arg(name) : name);
        auto* value = new QTableWidgetItem(QString::fromUtf8(bytes.left(4096)).simplified());
        value->setFont(mono);
        value->setData(Qt::UserRole, bytes);
        value->setToolTip(file ? QString::fromUtf8(bytes.left(2048)) : QString());
        m_tokens->setItem(row, 0, nameItem);
        m_tokens->setItem(row, 1, value);
        auto* button = copyButton(objectName, tr("Copy %1").arg(name), m_tokens);
        connect(button, &QToolButton::clicked, this, [this, bytes, name] { copy(bytes, name); });
        m_tokens->setCellWidget(row, 2, button);
    };
    for (const auto& v : result.tokens) {
        addRow(v.name, v.token, QStringLiteral("copy_") + v.name, false);
    }
    for (const auto& a : result.artifacts) {
        addRow(a.name, a.content, QStringLiteral("copyFile_") + a.name, true);
    }
    m_status->setText(tr("%1 crafted. tokenbench's own verify rejects every one of them (unless re-signed "
                         "with a key you gave).",
                         nullptr)
                          .arg(result.tokens.size() == 1 ? tr("1 token") : tr("%1 tokens").arg(result.tokens.size())));
}

void AttackSection::copy(const QByteArray& bytes, const QString& what)
{
    QApplication::clipboard()->setText(QString::fromUtf8(bytes));
    emit statusMessage(tr("Copied %1 to the clipboard.").arg(what));
}

void AttackSection::exportCorpus()
{
    if (m_token.isEmpty()) {
        return;
    }
    const QString path = FileDialog::saveFileName(this, tr("Export attack corpus"),
                                                  QStringLiteral("attack-corpus.json"), tr("JSON (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    runAsync<Result<QJsonObject>>(
        this, tr("Crafting the attack corpus…"),
        [in = input()](QPromise<Result<QJsonObject>>&) { return attacks::attackCorpus(in); },
        [this, path](const Result<QJsonObject>& corpus) {
            if (!corpus) {
                MessageBox::critical(this, tr("Export attack corpus"), corpus.error().message);
                return;
            }
            QSaveFile file(path);
            // The corpus may hold fresh private keys (embedded-jwk, jku): keep it private like a key file.
            if (!file.open(QIODevice::WriteOnly) ||
                !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
                file.write(QJsonDocument(*corpus).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
                MessageBox::critical(this, tr("Export attack corpus"),
                                     tr("Could not write %1: %2").arg(path, file.errorString()));
                return;
            }
            const int count = int(corpus->value(QStringLiteral("tokens")).toArray().size());
            emit statusMessage(tr("Wrote %1 attack tokens to %2.").arg(count).arg(path));
        });
}

} // namespace tb::ui
