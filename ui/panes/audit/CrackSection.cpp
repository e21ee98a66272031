#include "CrackSection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QThread>
#include <QVBoxLayout>

#include "Workspace.h"
#include "audit/crack/Candidates.h"
#include "base/Limits.h"
#include "base/SecretBytes.h"
#include "inspect/Identify.h"
#include "keys/KeyIo.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "support/Preferences.h"
#include "support/Theme.h"

namespace tb::ui {

namespace crack = audit::crack;

struct CrackSection::Outcome
{
    std::optional<Error> error;
    crack::SearchResult result;
    QString note; // e.g. over-long wordlist lines skipped
};

namespace {

// Everything a run needs, copied from the widgets: the worker never touches them.
struct Config
{
    crack::Target target;
    int source = CrackSection::BuiltinList;
    QString wordlist;
    QByteArray mask;
    QList<QByteArray> extraWords;
    bool rules = false;
    int threads = 0;
    std::uint64_t startUnit = 0;
};

Result<std::unique_ptr<crack::CandidateSource>> buildSource(const Config& c, QString* note)
{
    crack::VariantOptions variants;
    variants.rules = c.rules;
    auto chain = std::make_unique<crack::ChainSource>();
    if (c.source == CrackSection::WordlistFile) {
        auto list = crack::WordlistSource::open(c.wordlist, variants);
        if (!list) {
            return std::unexpected(list.error());
        }
        if ((*list)->overLongLines() > 0) {
            *note = QObject::tr("%1 line(s) longer than %2 bytes were skipped (first: line %3).")
                        .arg((*list)->overLongLines())
                        .arg(limits::maxWordlistLineBytes)
                        .arg((*list)->firstOverLongLine());
        }
        chain->append(std::move(*list));
    } else if (c.source == CrackSection::BuiltinList) {
        chain->append(crack::WordlistSource::fromBytes(crack::builtinWordlist().toByteArray(), variants));
        chain->append(
            std::make_unique<crack::WordsSource>(crack::tokenWords(c.target.header, c.target.payload), variants));
    } else {
        auto mask = crack::MaskSource::create(c.mask, {});
        if (!mask) {
            return std::unexpected(mask.error());
        }
        chain->append(std::move(*mask));
    }
    if (!c.extraWords.isEmpty()) {
        chain->append(std::make_unique<crack::WordsSource>(c.extraWords, variants));
    }
    return std::unique_ptr<crack::CandidateSource>(std::move(chain));
}

QString human(double n)
{
    const QLocale locale;
    if (n >= 1e12) {
        return locale.toString(n / 1e12, 'f', 2) + QStringLiteral(" T");
    }
    if (n >= 1e9) {
        return locale.toString(n / 1e9, 'f', 2) + QStringLiteral(" G");
    }
    if (n >= 1e6) {
        return locale.toString(n / 1e6, 'f', 2) + QStringLiteral(" M");
    }
    if (n >= 1e4) {
        return locale.toString(n / 1e3, 'f', 1) + QStringLiteral(" k");
    }
    return locale.toString(qint64(n));
}

QString duration(double s)
{
    if (s < 0) {
        return QObject::tr("unknown");
    }
    if (s < 90) {
        return QObject::tr("%1 s").arg(qint64(std::ceil(s)));
    }
    if (s < 5400) {
        return QObject::tr("%1 min").arg(qint64(std::ceil(s / 60)));
    }
    if (s < 172800) {
        return QObject::tr("%1 h").arg(QLocale().toString(s / 3600, 'f', 1));
    }
    return QObject::tr("%1 days").arg(QLocale().toString(s / 86400, 'f', 0));
}

// The secret as text when it is printable UTF-8, else hashcat's $HEX[...] (the CLI prints the same).
QString displaySecret(const QByteArray& bytes)
{
    const bool utf8 = QString::fromUtf8(bytes).toUtf8() == bytes;
    const bool printable = std::none_of(bytes.begin(), bytes.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
    return utf8 && printable ? QString::fromUtf8(bytes)
                             : QStringLiteral("$HEX[%1]").arg(QString::fromLatin1(bytes.toHex()));
}

QLabel* valueLabel(const QString& name, QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(name);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

CrackSection::CrackSection(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("crackSource"));
    m_source->setAccessibleName(tr("Candidates"));
    m_source->addItems({tr("Wordlist file"), tr("Built-in list of common JWT secrets + words from the token"),
                        tr("Mask (brute force)")});
    m_source->setCurrentIndex(BuiltinList);
    m_wordlist = new QLineEdit(this);
    m_wordlist->setObjectName(QStringLiteral("crackWordlist"));
    m_wordlist->setAccessibleName(tr("Wordlist file"));
    m_wordlist->setPlaceholderText(tr("/usr/share/wordlists/rockyou.txt"));
    m_browse = new QPushButton(tr("Browse…"), this);
    m_browse->setObjectName(QStringLiteral("crackBrowse"));
    m_mask = new QLineEdit(this);
    m_mask->setObjectName(QStringLiteral("crackMask"));
    m_mask->setAccessibleName(tr("Mask"));
    m_mask->setPlaceholderText(tr("?l?l?l?l?d?d (hashcat syntax: ?l ?u ?d ?s ?a ?b ?h ?H)"));
    m_extraWords = new QPlainTextEdit(this);
    m_extraWords->setObjectName(QStringLiteral("crackExtraWords"));
    m_extraWords->setAccessibleName(tr("Extra words to try, one per line"));
    m_extraWords->setPlaceholderText(tr("Extra words to try, one per line (company name, product, …)"));
    m_extraWords->setMaximumHeight(56);
    m_rules = new QCheckBox(tr("Rules: case variants, leetspeak, appended digits and years"), this);
    m_rules->setObjectName(QStringLiteral("crackRules"));
    m_threads = new QSpinBox(this);
    m_threads->setObjectName(QStringLiteral("crackThreads"));
    m_threads->setAccessibleName(tr("Threads"));
    m_threads->setRange(1, std::max(1, QThread::idealThreadCount()) * 2);
    const int preferred = Preferences::instance().crackThreads(); // 0: all cores
    m_threads->setValue(preferred > 0 ? std::min(preferred, m_threads->maximum())
                                      : std::max(1, QThread::idealThreadCount()));
    m_autoAdd = new QCheckBox(tr("Add a found secret to the key store"), this);
    m_autoAdd->setObjectName(QStringLiteral("crackAutoAdd"));
    m_autoAdd->setChecked(true);

    auto* wordlistRow = new QHBoxLayout;
    wordlistRow->addWidget(m_wordlist, 1);
    wordlistRow->addWidget(m_browse);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Candidates:"), m_source);
    form->addRow(tr("Wordlist:"), wordlistRow);
    form->addRow(tr("Mask:"), m_mask);
    form->addRow(tr("Also try:"), m_extraWords);
    auto* optionsRow = new QHBoxLayout;
    optionsRow->addWidget(m_rules);
    optionsRow->addStretch(1);
    optionsRow->addWidget(new QLabel(tr("Threads:"), this));
    optionsRow->addWidget(m_threads);
    form->addRow(QString(), optionsRow);

    m_run = new QPushButton(tr("Start search"), this);
    m_run->setObjectName(QStringLiteral("crackRun"));
    m_run->setDefault(true);
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("crackResume"));
    m_resume->setToolTip(tr("Continue the cancelled search where it stopped"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("crackCancel"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_autoAdd);
    buttons->addStretch(1);
    buttons->addWidget(m_run);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("crackProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_rate = valueLabel(QStringLiteral("crackRate"), this);
    m_keyspace = valueLabel(QStringLiteral("crackKeyspace"), this);
    m_eta = valueLabel(QStringLiteral("crackEta"), this);
    auto* stats = new QGridLayout;
    stats->addWidget(new QLabel(tr("Rate:"), this), 0, 0);
    stats->addWidget(m_rate, 0, 1);
    stats->addWidget(new QLabel(tr("Keyspace:"), this), 0, 2);
    stats->addWidget(m_keyspace, 0, 3);
    stats->addWidget(new QLabel(tr("ETA:"), this), 0, 4);
    stats->addWidget(m_eta, 0, 5);
    stats->setColumnStretch(1, 1);
    stats->setColumnStretch(3, 1);
    stats->setColumnStretch(5, 1);

    m_result = valueLabel(QStringLiteral("crackResult"), this);
    m_result->setWordWrap(true);
    m_addKey = new QPushButton(tr("Add to key store"), this);
    m_addKey->setObjectName(QStringLiteral("crackAddKey"));
    auto* resultRow = new QHBoxLayout;
    resultRow->addWidget(m_result, 1);
    resultRow->addWidget(m_addKey, 0, Qt::AlignTop);

    auto* runPage = new QWidget(this);
    auto* runLayout = new QVBoxLayout(runPage);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->addLayout(form);
    runLayout->addLayout(buttons);
    runLayout->addWidget(m_progress);
    runLayout->addLayout(stats);
    runLayout->addLayout(resultRow);
    runLayout->addStretch(1);

    m_unavailable = new QLabel(this);
    m_unavailable->setObjectName(QStringLiteral("crackUnavailable"));
    m_unavailable->setWordWrap(true);
    m_unavailable->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_unavailable->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(runPage);
    m_pages->addWidget(m_unavailable);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString path = FileDialog::openFileName(this, tr("Wordlist"),
                                                      tr("Word lists (*.txt *.lst *.dic);;All "
                                                         "files (*)"));
        if (!path.isEmpty()) {
            m_wordlist->setText(path);
            m_source->setCurrentIndex(WordlistFile);
        }
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, &CrackSection::updateButtons);
    // Typing a path or a mask picks that source.
    connect(m_wordlist, &QLineEdit::textEdited, this, [this] { m_source->setCurrentIndex(WordlistFile); });
    connect(m_mask, &QLineEdit::textEdited, this, [this] { m_source->setCurrentIndex(MaskSource); });
    connect(m_run, &QPushButton::clicked, this, &CrackSection::start);
    connect(m_resume, &QPushButton::clicked, this, &CrackSection::resume);
    connect(m_cancel, &QPushButton::clicked, this, &CrackSection::cancel);
    connect(m_addKey, &QPushButton::clicked, this, &CrackSection::addFoundKey);
    setToken({});
}

CrackSection::~CrackSection()
{
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
    m_future.waitForFinished(); // the worker posts progress to this object
    cleanse(m_found);
}

void CrackSection::setToken(const QByteArray& token)
{
    if (token == m_token && !token.isEmpty()) {
        return;
    }
    cancel();
    m_token = token;
    cleanse(m_found);
    m_found.clear();
    m_result->clear();
    m_progress->setValue(0);
    m_rate->clear();
    m_keyspace->clear();
    m_eta->clear();
    const inspect::Identification id = inspect::identify(token);
    const auto target = crack::targetFromToken(token);
    m_available = !token.isEmpty() && id.actions.contains(QStringLiteral("crack")) && target.has_value();
    if (token.isEmpty()) {
        m_unavailable->setText(tr("Paste an HS256, HS384 or HS512 token above to search for its secret."));
    } else if (!m_available) {
        QString why = tr("<b>Cracking is not offered for this token.</b><br>It was identified as <b>%1</b>: %2")
                          .arg(id.kind.toHtmlEscaped(), id.reason.toHtmlEscaped());
        if (!target) {
            why += QStringLiteral("<br><br>") + target.error().message.toHtmlEscaped();
        }
        for (const QString& c : id.cannot) {
            why += QStringLiteral("<br>• ") + c.toHtmlEscaped();
        }
        m_unavailable->setText(why);
    }
    m_pages->setCurrentIndex(m_available ? 0 : 1);
    updateButtons();
}

bool CrackSection::isRunning() const
{
    return m_future.isValid() && !m_future.isFinished();
}

void CrackSection::updateButtons()
{
    const bool running = isRunning();
    m_run->setEnabled(m_available && !running);
    m_resume->setEnabled(m_available && !running && !m_stoppedSource.isEmpty() && m_stoppedToken == m_token &&
                         m_stoppedSource == sourceDescription());
    m_cancel->setEnabled(running);
    m_addKey->setEnabled(!m_found.isEmpty() && !m_foundAdded);
    m_addKey->setVisible(!m_found.isEmpty());
}

QString CrackSection::sourceDescription() const
{
    QString d = QString::number(m_source->currentIndex());
    if (m_source->currentIndex() == WordlistFile) {
        d += QLatin1Char(':') + m_wordlist->text() + QLatin1Char(':') +
             QString::number(QFileInfo(m_wordlist->text()).size());
    } else if (m_source->currentIndex() == MaskSource) {
        d += QLatin1Char(':') + m_mask->text();
    }
    return d + QStringLiteral(";rules=%1;extra=%2").arg(m_rules->isChecked()).arg(m_extraWords->toPlainText());
}

void CrackSection::useBuiltinWith(const QString& words)
{
    m_source->setCurrentIndex(BuiltinList);
    m_rules->setChecked(false);
    m_extraWords->setPlainText(words);
}

void CrackSection::start()
{
    run(0);
}

void CrackSection::resume()
{
    if (m_stoppedToken == m_token && m_stoppedSource == sourceDescription()) {
        run(m_stoppedAt);
    }
}

void CrackSection::cancel()
{
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
}

void CrackSection::waitForFinished()
{
    while (isRunning()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(5);
    }
    QCoreApplication::processEvents(); // delivers the watcher's finished signal
}

void CrackSection::run(std::uint64_t startUnit)
{
    auto target = crack::targetFromToken(m_token);
    if (!m_available || !target || isRunning()) {
        return;
    }
    if (m_source->currentIndex() == WordlistFile && m_wordlist->text().trimmed().isEmpty()) {
        m_result->setText(tr("Choose a wordlist file first."));
        return;
    }
    Config c;
    c.target = *target;
    c.source = m_source->currentIndex();
    c.wordlist = m_wordlist->text().trimmed();
    c.mask = m_mask->text().toUtf8();
    for (const QString& line : m_extraWords->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        c.extraWords.append(line.toUtf8());
    }
    c.rules = m_rules->isChecked();
    c.threads = m_threads->value();
    c.startUnit = startUnit;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    cleanse(m_found);
    m_found.clear();
    m_foundAdded = false;
    m_addKey->setText(tr("Add to key store"));
    m_stoppedSource.clear();
    m_result->setText(startUnit > 0 ? tr("Resuming at position %1…").arg(QLocale().toString(qulonglong(startUnit)))
                                    : tr("Searching…"));
    QPalette pal = m_result->palette();
    pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    m_result->setPalette(pal);
    const QString description = sourceDescription();
    const QByteArray token = m_token;
    m_future = runInBackground<std::shared_ptr<Outcome>>(
        this,
        [this, c, cancel = m_cancelFlag](QPromise<std::shared_ptr<Outcome>>&) {
            auto outcome = std::make_shared<Outcome>();
            auto source = buildSource(c, &outcome->note);
            if (!source) {
                outcome->error = source.error();
                return outcome;
            }
            crack::SearchOptions options;
            options.threads = c.threads;
            options.startUnit = std::min(c.startUnit, (*source)->units());
            options.progressInterval = std::chrono::milliseconds(100);
            const auto progress = [this](const crack::Progress& p) {
                QMetaObject::invokeMethod(
                    this, [this, p] { showProgress(p); }, Qt::QueuedConnection);
            };
            auto result = crack::search(c.target, **source, options, progress, cancel.get());
            if (!result) {
                outcome->error = result.error();
            } else {
                outcome->result = std::move(*result);
            }
            return outcome;
        },
        [this, description, token](const std::shared_ptr<Outcome>& outcome) {
            if (token != m_token) {
                return; // the token changed while it ran
            }
            if (outcome->result.cancelled) {
                m_stoppedAt = outcome->result.position;
                m_stoppedSource = description;
                m_stoppedToken = token;
            }
            showOutcome(outcome);
        });
    updateButtons();
    emit statusMessage(tr("Searching for the %1 secret…").arg(crack::hmacAlgName(c.target.alg)));
}

void CrackSection::showProgress(const crack::Progress& p)
{
    if (p.units > 0) {
        m_progress->setValue(int(1000.0 * double(p.position) / double(p.units)));
    }
    m_rate->setText(tr("%1 candidates/s").arg(human(p.rate)));
    m_keyspace->setText(tr("%1 candidates (%2 tried)").arg(human(p.keyspace), human(double(p.candidates))));
    m_eta->setText(duration(p.etaSeconds));
}

void CrackSection::showOutcome(const std::shared_ptr<Outcome>& outcome)
{
    const QPalette pal = palette();
    QPalette resultPal = m_result->palette();
    const crack::SearchResult& r = outcome->result;
    QString text;
    if (outcome->error) {
        text = outcome->error->message;
        resultPal.setColor(QPalette::WindowText, theme::failColor(pal));
    } else if (r.found) {
        m_found = r.secret.reveal();
        text = tr("<b>Secret found:</b> <code>%1</code><br>after %2 candidates in %3 s (%4 kernel, %5). Anyone who "
                  "has this token can forge tokens with it.")
                   .arg(displaySecret(m_found).toHtmlEscaped(), QLocale().toString(qulonglong(r.candidates)),
                        QLocale().toString(r.seconds, 'f', 2), crack::kernelName(r.kernel),
                        r.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(r.threads));
        resultPal.setColor(QPalette::WindowText, theme::failColor(pal));
        m_progress->setValue(1000);
        m_eta->setText(tr("done"));
    } else if (r.cancelled) {
        text = tr("Cancelled at position %1 of %2 (%3 candidates tried). Resume continues there.")
                   .arg(QLocale().toString(qulonglong(r.position)), QLocale().toString(qulonglong(r.units)),
                        QLocale().toString(qulonglong(r.candidates)));
    } else {
        text = tr("Not found: none of the %1 candidates is the secret (%2 s). That is good news for this token.")
                   .arg(QLocale().toString(qulonglong(r.candidates)), QLocale().toString(r.seconds, 'f', 2));
        resultPal.setColor(QPalette::WindowText, theme::okColor(pal));
        m_progress->setValue(1000);
        m_eta->setText(tr("done"));
    }
    if (!outcome->error && r.seconds < 0.5) {
        // Start-up dominates a run this short: a rate would mislead.
        m_rate->setText(tr("— (%1 candidates: too few to measure)").arg(QLocale().toString(qulonglong(r.candidates))));
    }
    if (!outcome->note.isEmpty()) {
        text += QStringLiteral("<br>") + outcome->note.toHtmlEscaped();
    }
    m_result->setPalette(resultPal);
    m_result->setText(text);
    if (r.found && m_autoAdd->isChecked()) {
        addFoundKey();
    }
    updateButtons();
    emit statusMessage(r.found       ? tr("Found the HMAC secret.")
                       : r.cancelled ? tr("Search cancelled.")
                                     : tr("Secret not found."));
    emit finished(r.found);
}

void CrackSection::addFoundKey()
{
    if (m_found.isEmpty() || m_foundAdded) {
        return;
    }
    const auto target = crack::targetFromToken(m_token);
    const QString name = tr("Cracked %1 secret").arg(target ? crack::hmacAlgName(target->alg) : QStringLiteral("HMAC"));
    m_workspace->addKey(keys::secretKey(m_found), name);
    m_foundAdded = true;
    m_addKey->setText(tr("Added to the key store"));
    updateButtons();
    emit statusMessage(tr("Added the cracked secret to the key store as \"%1\".").arg(name));
}

} // namespace tb::ui
