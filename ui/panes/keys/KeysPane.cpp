#include "KeysPane.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "KeyTableModel.h"
#include "Workspace.h"
#include "base/Files.h"
#include "base/Limits.h"
#include "keys/KeyIo.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "support/MessageBox.h"

namespace tb::ui {

namespace {

enum ExportFormat
{
    PemPublic,
    PemPrivate,
    JwkPublic,
    JwkPrivate,
    JwksPublic,
    JwksPrivate,
};

bool isPrivateFormat(int f)
{
    return f == PemPrivate || f == JwkPrivate || f == JwksPrivate;
}

} // namespace

KeysPane::KeysPane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("keysPane"));
    m_model = new KeyTableModel(workspace, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setObjectName(QStringLiteral("keysProxy"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    auto* storeBox = new QGroupBox(tr("Key store"), this);
    m_filter = new QLineEdit(storeBox);
    m_filter->setObjectName(QStringLiteral("keyFilter"));
    m_filter->setAccessibleName(tr("Filter keys"));
    m_filter->setPlaceholderText(tr("Filter by name, type, kid or thumbprint"));
    m_filter->setClearButtonEnabled(true);
    m_table = new QTableView(storeBox);
    m_table->setObjectName(QStringLiteral("keyTable"));
    m_table->setAccessibleName(tr("Keys"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* remove = new QPushButton(tr("Remove"), storeBox);
    remove->setObjectName(QStringLiteral("removeKey"));
    auto* storeLayout = new QVBoxLayout(storeBox);
    storeLayout->addWidget(m_filter);
    storeLayout->addWidget(m_table, 1);

    // Import
    auto* importBox = new QGroupBox(tr("Import"), this);
    m_paste = new QPlainTextEdit(importBox);
    m_paste->setObjectName(QStringLiteral("keyPaste"));
    m_paste->setAccessibleName(tr("Key to import"));
    m_paste->setPlaceholderText(tr("Paste a PEM key or certificate, a JWK or a JWK Set"));
    m_paste->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* importPaste = new QPushButton(tr("Import pasted"), importBox);
    importPaste->setObjectName(QStringLiteral("importPasted"));
    auto* importFileButton = new QPushButton(tr("Import file…"), importBox);
    importFileButton->setObjectName(QStringLiteral("importFile"));
    auto* importRow = new QHBoxLayout;
    importRow->addStretch(1);
    importRow->addWidget(importFileButton);
    importRow->addWidget(importPaste);
    auto* importLayout = new QVBoxLayout(importBox);
    importLayout->addWidget(m_paste, 1);
    importLayout->addLayout(importRow);

    // Generate
    auto* genBox = new QGroupBox(tr("Generate"), this);
    m_genAlg = new QComboBox(genBox);
    m_genAlg->setObjectName(QStringLiteral("generateAlg"));
    m_genAlg->setAccessibleName(tr("Algorithm of the new key"));
    for (jose::Alg alg : jose::allAlgs()) {
        if (alg != jose::Alg::None) {
            m_genAlg->addItem(jose::algName(alg));
        }
    }
    m_genSize = new QComboBox(genBox);
    m_genSize->setObjectName(QStringLiteral("generateSize"));
    m_genSize->setAccessibleName(tr("Size or curve of the new key"));
    m_generate = new QPushButton(tr("Generate"), genBox);
    m_generate->setObjectName(QStringLiteral("generateKey"));
    auto* genLayout = new QHBoxLayout(genBox);
    genLayout->addWidget(new QLabel(tr("Algorithm:"), genBox));
    genLayout->addWidget(m_genAlg);
    genLayout->addWidget(m_genSize, 1);
    genLayout->addWidget(m_generate);

    // Selected key: details, export
    auto* selBox = new QGroupBox(tr("Selected key"), this);
    m_details = new QLabel(selBox);
    m_details->setObjectName(QStringLiteral("keyDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_material = new QPlainTextEdit(selBox);
    m_material->setObjectName(QStringLiteral("keyMaterial"));
    m_material->setAccessibleName(tr("Key material"));
    m_material->setReadOnly(true);
    m_material->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_reveal = new QCheckBox(tr("Reveal private part"), selBox);
    m_reveal->setObjectName(QStringLiteral("revealKey"));
    m_exportFormat = new QComboBox(selBox);
    m_exportFormat->setObjectName(QStringLiteral("exportFormat"));
    m_exportFormat->setAccessibleName(tr("Export format"));
    m_exportFormat->addItems({tr("PEM, public (SPKI)"), tr("PEM, private (PKCS#8)"), tr("JWK, public"),
                              tr("JWK, private"), tr("JWK Set, public"), tr("JWK Set, private")});
    auto* exportButton = new QPushButton(tr("Export…"), selBox);
    exportButton->setObjectName(QStringLiteral("exportKey"));
    auto* copyJwk = new QPushButton(tr("Copy public JWK"), selBox);
    copyJwk->setObjectName(QStringLiteral("copyPublicJwk"));
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_reveal);
    exportRow->addStretch(1);
    exportRow->addWidget(remove);
    exportRow->addWidget(copyJwk);
    exportRow->addWidget(m_exportFormat);
    exportRow->addWidget(exportButton);
    auto* selLayout = new QVBoxLayout(selBox);
    selLayout->addWidget(m_details);
    selLayout->addWidget(m_material, 1);
    selLayout->addLayout(exportRow);

    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QGridLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(importBox, 0, 0);
    bottomLayout->addWidget(genBox, 1, 0);
    bottomLayout->addWidget(selBox, 0, 1, 2, 1);
    bottomLayout->setColumnStretch(0, 1);
    bottomLayout->setColumnStretch(1, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(storeBox);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeysPane::updateDetails);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_table->resizeColumnsToContents();
        updateDetails();
    });
    connect(m_reveal, &QCheckBox::toggled, this, &KeysPane::updateDetails);
    connect(importPaste, &QPushButton::clicked, this, [this] {
        if (importBytes(m_paste->toPlainText().toUtf8(), tr("pasted text"))) {
            m_paste->clear();
        }
    });
    connect(importFileButton, &QPushButton::clicked, this, [this] {
        const QString path = FileDialog::openFileName(
            this, tr("Import a key"), tr("Keys (*.pem *.der *.crt *.cer *.key *.jwk *.json);;All files (*)"));
        if (!path.isEmpty()) {
            importFile(path);
        }
    });
    connect(m_genAlg, &QComboBox::currentIndexChanged, this, &KeysPane::updateGenerateOptions);
    connect(m_generate, &QPushButton::clicked, this, &KeysPane::generate);
    connect(remove, &QPushButton::clicked, this, [this] { m_workspace->removeKey(selectedRow()); });
    connect(copyJwk, &QPushButton::clicked, this, [this] {
        const auto key = selectedKey();
        if (!key || key->type() == keys::KeyType::Oct) {
            emit statusMessage(tr("A secret has no public JWK."));
            return;
        }
        const auto jwk = keys::exportJwk(*key, keys::KeyPart::Public, key->meta());
        if (jwk) {
            QApplication::clipboard()->setText(QString::fromUtf8(*jwk));
            emit statusMessage(tr("The public JWK was copied."));
        }
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (!selectedKey()) {
            return;
        }
        const int f = m_exportFormat->currentIndex();
        const QString suggested =
            (f == PemPublic || f == PemPrivate) ? QStringLiteral("key.pem") : QStringLiteral("key.json");
        const QString path = FileDialog::saveFileName(this, tr("Export key"), suggested);
        if (!path.isEmpty()) {
            exportTo(path);
        }
    });
    updateGenerateOptions();
    updateDetails();
}

KeysPane::~KeysPane() = default;

int KeysPane::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return -1;
    }
    return m_proxy->mapToSource(rows.first()).row();
}

void KeysPane::prepareScreenshot()
{
    selectRow(1);
}

void KeysPane::selectRow(int row)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->setCurrentIndex(index);
}

keys::KeyPtr KeysPane::selectedKey() const
{
    const int row = selectedRow();
    if (row < 0 || row >= m_workspace->keys().size()) {
        return {};
    }
    return m_workspace->keys().at(row).key;
}

bool KeysPane::importBytes(const QByteArray& bytes, const QString& origin)
{
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.isEmpty()) {
        emit statusMessage(tr("Nothing to import."));
        return false;
    }
    if (trimmed.startsWith('{') && trimmed.contains("\"keys\"")) {
        const auto set = keys::importJwks(trimmed);
        if (!set) {
            MessageBox::critical(this, tr("Import keys"), set.error().message);
            return false;
        }
        int last = -1;
        for (const auto& key : set->keys) {
            last = m_workspace->addKey(key);
        }
        selectRow(last);
        QString text = tr("Imported %n key(s) from %1.", nullptr, int(set->keys.size())).arg(origin);
        if (!set->skipped.isEmpty()) {
            MessageBox::warning(this, tr("Import keys"),
                                text + QLatin1Char('\n') + set->skipped.join(QLatin1Char('\n')));
        }
        emit statusMessage(text);
        return !set->keys.isEmpty();
    }
    // Core gets the bytes untouched: trimming would cut a DER key whose last byte happens to be 0x20 or 0x0a.
    auto key = keys::importKey(bytes);
    if (!key && key.error().code == ErrorCode::PassphraseRequired) {
        const auto typed = MessageBox::passphrase(this, tr("Encrypted key"),
                                                  tr("The key from %1 is encrypted. Passphrase:").arg(origin));
        if (!typed) {
            return false;
        }
        QByteArray utf8 = typed->toUtf8();
        const SecretBytes pass = SecretBytes::fromByteArray(utf8);
        cleanse(utf8);
        key = keys::importKey(bytes, &pass);
    }
    if (!key) {
        MessageBox::critical(this, tr("Import key"), key.error().message);
        return false;
    }
    const int row = m_workspace->addKey(*key);
    selectRow(row);
    emit statusMessage(tr("Imported %1 from %2.").arg((*key)->describe(), origin));
    return true;
}

bool KeysPane::importFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        MessageBox::critical(this, tr("Import key"), tr("Could not open %1: %2").arg(path, f.errorString()));
        return false;
    }
    const QByteArray bytes = f.read(qint64(limits::maxKeyFileBytes) + 1);
    if (std::size_t(bytes.size()) > limits::maxKeyFileBytes) {
        MessageBox::critical(this, tr("Import key"), tr("%1 is larger than the 1 MiB key file limit.").arg(path));
        return false;
    }
    return importBytes(bytes, QFileInfo(path).fileName());
}

bool KeysPane::exportTo(const QString& path)
{
    const auto key = selectedKey();
    if (!key) {
        return false;
    }
    const int f = m_exportFormat->currentIndex();
    const keys::KeyPart part = isPrivateFormat(f) ? keys::KeyPart::Private : keys::KeyPart::Public;
    if (part == keys::KeyPart::Private && !key->hasPrivate()) {
        MessageBox::warning(this, tr("Export key"), tr("This key has no private part to export."));
        return false;
    }
    Result<QByteArray> bytes = fail(ErrorCode::InvalidArgument, {});
    if (f == PemPublic || f == PemPrivate) {
        bytes = keys::exportPem(*key, part);
    } else {
        bytes = keys::exportJwk(*key, part, key->meta());
        if (bytes && (f == JwksPublic || f == JwksPrivate)) {
            QJsonArray list{QJsonDocument::fromJson(*bytes).object()};
            bytes = QJsonDocument(QJsonObject{{QStringLiteral("keys"), list}}).toJson(QJsonDocument::Indented);
        }
    }
    if (!bytes) {
        MessageBox::critical(this, tr("Export key"), bytes.error().message);
        return false;
    }
    const bool secret = part == keys::KeyPart::Private || key->type() == keys::KeyType::Oct;
    const auto written = files::writeFile(path, *bytes, secret ? 0600 : 0644, true);
    if (!written) {
        MessageBox::critical(this, tr("Export key"), written.error().message);
        return false;
    }
    emit statusMessage(secret ? tr("Exported the private key to %1 (readable only by you).").arg(path)
                              : tr("Exported the public key to %1.").arg(path));
    return true;
}

void KeysPane::updateGenerateOptions()
{
    m_genSize->clear();
    const auto alg = jose::algFromName(m_genAlg->currentText());
    if (!alg) {
        return;
    }
    switch (jose::algFamily(*alg)) {
    case jose::AlgFamily::RsaPkcs1:
    case jose::AlgFamily::RsaPss:
        m_genSize->addItem(tr("2048 bits"), 2048);
        m_genSize->addItem(tr("3072 bits"), 3072);
        m_genSize->addItem(tr("4096 bits"), 4096);
        break;
    case jose::AlgFamily::Hmac:
        m_genSize->addItem(tr("%1 bits (hash size)").arg(jose::algHashBytes(*alg) * 8), 0);
        m_genSize->addItem(tr("512 bits"), 512);
        break;
    case jose::AlgFamily::Ecdsa:
        m_genSize->addItem(jose::algCurve(*alg), 0);
        break;
    case jose::AlgFamily::EdDsa:
        m_genSize->addItem(QStringLiteral("Ed25519"), 0);
        m_genSize->addItem(QStringLiteral("Ed448"), 0);
        break;
    case jose::AlgFamily::Unsecured:
        break;
    }
}

void KeysPane::generate()
{
    const auto alg = jose::algFromName(m_genAlg->currentText());
    if (!alg) {
        return;
    }
    const int bits = m_genSize->currentData().toInt();
    const QString curve = jose::algFamily(*alg) == jose::AlgFamily::EdDsa ? m_genSize->currentText() : QString();
    const QString algText = m_genAlg->currentText();
    runAsync<Result<keys::KeyPtr>>(
        this, tr("Generating a %1 key…").arg(algText),
        [alg = *alg, bits, curve](QPromise<Result<keys::KeyPtr>>&) { return keys::generateKey(alg, bits, curve); },
        [this, algText](const Result<keys::KeyPtr>& key) {
            if (!key) {
                MessageBox::critical(this, tr("Generate key"), key.error().message);
                return;
            }
            const int row = m_workspace->addKey(*key, tr("Generated %1 key").arg(algText));
            selectRow(row);
            emit statusMessage(tr("Generated %1.").arg((*key)->describe()));
        });
}

void KeysPane::updateDetails()
{
    const auto key = selectedKey();
    if (!key) {
        m_details->setText(tr("Select a key to see it, export it or copy its public JWK."));
        m_material->clear();
        m_reveal->setEnabled(false);
        return;
    }
    const auto tp = keys::thumbprint(*key);
    QString text = key->describe();
    if (!key->meta().kid.isEmpty()) {
        text += tr(" · kid %1").arg(key->meta().kid);
    }
    if (tp) {
        text += tr(" · thumbprint %1").arg(*tp);
    }
    const QString unsafe = keys::unsafeKeyReason(*key);
    if (!unsafe.isEmpty()) {
        text += QLatin1Char('\n') + tr("Unsafe: %1").arg(unsafe);
    }
    m_details->setText(text);
    const bool secret = key->hasPrivate() || key->type() == keys::KeyType::Oct;
    m_reveal->setEnabled(secret);
    if (secret && m_reveal->isChecked()) {
        const auto jwk = keys::exportJwk(*key, keys::KeyPart::Private, key->meta());
        m_material->setPlainText(jwk ? QString::fromUtf8(*jwk) : jwk.error().message);
    } else if (key->type() == keys::KeyType::Oct) {
        m_material->setPlainText(
            tr("Secret of %1 bytes: hidden. Tick \"Reveal private part\" to show it.").arg(key->secret().size()));
    } else {
        const auto jwk = keys::exportJwk(*key, keys::KeyPart::Public, key->meta());
        const auto pem = keys::exportPem(*key, keys::KeyPart::Public);
        QString shown = jwk ? QString::fromUtf8(*jwk) : jwk.error().message;
        if (pem) {
            shown += QStringLiteral("\n\n") + QString::fromUtf8(*pem);
        }
        if (key->hasPrivate()) {
            shown += tr("\n(The private part is hidden. Tick \"Reveal private part\" to show it.)");
        }
        m_material->setPlainText(shown);
    }
}

} // namespace tb::ui
