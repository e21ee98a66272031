#include "IdLab.h"

#include <cmath>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "panes/session/LabJob.h"
#include "panes/session/SessionCharts.h"
#include "session/PhaseSpace.h"
#include "session/SessionId.h"
#include "support/FileDialog.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

constexpr qsizetype maxSampleFileBytes = 64 * 1024 * 1024; // as the CLI's `session analyze`
constexpr int maxGeneratedIds = 10000;

QString levelText(double percent)
{
    return QStringLiteral("%1 %").arg(QString::number(percent, 'g', 6));
}

// Display names of the demo generators, in core order.
QString demoTitle(session::DemoKind kind)
{
    switch (kind) {
    case session::DemoKind::Counter:
        return QObject::tr("Counter (1000, 1001, …)");
    case session::DemoKind::EpochMs:
        return QObject::tr("Unix time in ms");
    case session::DemoKind::CounterEpochMs:
        return QObject::tr("Counter-epochms (WebGoat hijack)");
    case session::DemoKind::Padded32:
        return QObject::tr("32 random bits padded to 128");
    case session::DemoKind::Lcg:
        return QObject::tr("LCG (Knuth MMIX)");
    case session::DemoKind::Md5Counter:
        return QObject::tr("MD5(counter)");
    case session::DemoKind::UuidV1:
        return QObject::tr("UUID v1");
    case session::DemoKind::UuidV7:
        return QObject::tr("UUID v7");
    case session::DemoKind::Csprng:
        return QObject::tr("CSPRNG, 128 bits (reference)");
    }
    return {};
}

// The worker: load or generate the IDs, analyse them, and compute the phase-space points.
IdLab::Outcome analyseJob(const std::optional<session::DemoKind>& demo, int count, QByteArray text, const QString& path,
                          const QString& source, QPromise<IdLab::Outcome>& promise, std::atomic<bool>& flag)
{
    IdLab::Outcome out;
    out.source = source;
    promise.setProgressRange(0, 100);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Result<QList<QByteArray>> ids = fail(ErrorCode::InvalidData, QString());
    if (demo) {
        ids = session::generateDemo(*demo, count, now - 60000, 1);
    } else {
        if (!path.isEmpty()) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                out.error = QObject::tr("Could not open %1: %2").arg(path, file.errorString());
                return out;
            }
            text = file.read(maxSampleFileBytes + 1);
            if (text.size() > maxSampleFileBytes) {
                out.error = QObject::tr("%1 is larger than the 64 MiB sample limit.").arg(path);
                return out;
            }
        }
        ids = session::parseSample(text);
    }
    if (!ids) {
        out.error = ids.error().message;
        return out;
    }
    session::AnalysisOptions options;
    options.captureMs = now;
    auto analysis = session::analyze(*ids, options, progressInto(promise, flag), &flag);
    if (!analysis) {
        out.error = analysis.error().message;
        return out;
    }
    out.analysis = std::move(*analysis);
    out.phase = session::phaseSpace(*ids);
    return out;
}

} // namespace

IdLab::IdLab(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("idLab"));
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(buildGenerator());
    leftLayout->addWidget(buildGuessForm());
    leftLayout->addWidget(buildSampleForm(), 1);
    left->setMaximumWidth(400);
    left->setMinimumWidth(330);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(left);
    layout->addWidget(buildResults(), 1);
    updateEncoding();
    updateGuess();
}

IdLab::~IdLab()
{
    cancel();
}

QWidget* IdLab::buildGenerator()
{
    auto* box = new QGroupBox(tr("Generate session IDs (OpenSSL CSPRNG)"), this);
    m_bits = new QSpinBox(box);
    m_bits->setObjectName(QStringLiteral("idBits"));
    m_bits->setRange(session::minIdBits, session::maxIdBits);
    m_bits->setValue(128);
    m_bits->setSuffix(tr(" bits"));
    m_encoding = new QComboBox(box);
    m_encoding->setObjectName(QStringLiteral("idEncoding"));
    m_encoding->addItem(tr("base64url"), int(session::IdEncoding::Base64Url));
    m_encoding->addItem(tr("hex"), int(session::IdEncoding::Hex));
    m_encoding->addItem(tr("custom alphabet"), int(session::IdEncoding::Custom));
    m_alphabet = new QLineEdit(QStringLiteral("23456789BCDFGHJKLMNPQRSTVWXZ"), box);
    m_alphabet->setObjectName(QStringLiteral("idAlphabet"));
    m_alphabet->setFont(theme::codeFont());
    m_count = new QSpinBox(box);
    m_count->setObjectName(QStringLiteral("idCount"));
    m_count->setRange(1, maxGeneratedIds);
    m_count->setValue(5);
    auto* generateButton = new QPushButton(tr("Generate"), box);
    generateButton->setObjectName(QStringLiteral("generateIds"));
    auto* copy = new QPushButton(tr("Copy"), box);
    m_generated = new QPlainTextEdit(box);
    m_generated->setObjectName(QStringLiteral("generatedIds"));
    m_generated->setReadOnly(true);
    m_generated->setFont(theme::codeFont());
    m_generated->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_generated->setMaximumHeight(84);
    m_entropy = new QLabel(box);
    m_entropy->setObjectName(QStringLiteral("idEntropy"));
    m_entropy->setWordWrap(true);

    auto* form = new QFormLayout;
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_bits, 1);
    sizeRow->addWidget(m_encoding, 1);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(tr("Alphabet:"), m_alphabet);
    auto* countRow = new QHBoxLayout;
    countRow->addWidget(m_count, 1);
    countRow->addWidget(generateButton);
    countRow->addWidget(copy);
    form->addRow(tr("Count:"), countRow);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(m_generated);
    layout->addWidget(m_entropy);

    connect(m_encoding, &QComboBox::currentIndexChanged, this, &IdLab::updateEncoding);
    connect(m_bits, &QSpinBox::valueChanged, this, [this](int bits) {
        m_guessBits->setValue(bits);
        updateEncoding();
    });
    connect(m_alphabet, &QLineEdit::textChanged, this, &IdLab::updateEncoding);
    connect(generateButton, &QPushButton::clicked, this, &IdLab::generateSample);
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_generated->toPlainText());
        emit statusMessage(tr("Copied the generated IDs."));
    });
    return box;
}

QWidget* IdLab::buildGuessForm()
{
    auto* box = new QGroupBox(tr("Expected time to guess one live ID"), this);
    m_guessBits = new QDoubleSpinBox(box);
    m_guessBits->setObjectName(QStringLiteral("guessBits"));
    m_guessBits->setRange(0, 4096);
    m_guessBits->setDecimals(1);
    m_guessBits->setValue(128);
    m_guessRate = new QDoubleSpinBox(box);
    m_guessRate->setObjectName(QStringLiteral("guessRate"));
    m_guessRate->setRange(1, 1e15);
    m_guessRate->setDecimals(0);
    m_guessRate->setValue(10000);
    m_guessRate->setGroupSeparatorShown(true);
    m_liveSessions = new QDoubleSpinBox(box);
    m_liveSessions->setObjectName(QStringLiteral("liveSessions"));
    m_liveSessions->setRange(1, 1e12);
    m_liveSessions->setDecimals(0);
    m_liveSessions->setValue(100000);
    m_liveSessions->setGroupSeparatorShown(true);
    m_guessResult = new QLabel(box);
    m_guessResult->setObjectName(QStringLiteral("guessResult"));
    m_guessResult->setWordWrap(true);
    m_guessResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* owasp = new QPushButton(tr("OWASP example"), box);
    owasp->setToolTip(tr("64 bits, 10,000 guesses per second, 100,000 live sessions"));

    auto* form = new QFormLayout;
    form->addRow(tr("B, entropy bits:"), m_guessBits);
    form->addRow(tr("A, guesses/s:"), m_guessRate);
    auto* sessionsRow = new QHBoxLayout;
    sessionsRow->addWidget(m_liveSessions, 1);
    sessionsRow->addWidget(owasp);
    form->addRow(tr("S, live sessions:"), sessionsRow);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(m_guessResult);

    for (QDoubleSpinBox* spin : {m_guessBits, m_guessRate, m_liveSessions}) {
        connect(spin, &QDoubleSpinBox::valueChanged, this, &IdLab::updateGuess);
    }
    connect(owasp, &QPushButton::clicked, this, [this] {
        m_guessBits->setValue(64);
        m_guessRate->setValue(10000);
        m_liveSessions->setValue(100000);
    });
    return box;
}

QWidget* IdLab::buildSampleForm()
{
    auto* box = new QGroupBox(tr("Analyse a sample"), this);
    m_demo = new QComboBox(box);
    m_demo->setObjectName(QStringLiteral("demoGenerator"));
    for (const QString& name : session::demoKindNames()) {
        const auto kind = session::demoKindFromName(name);
        m_demo->addItem(demoTitle(*kind), name);
    }
    m_demoCount = new QSpinBox(box);
    m_demoCount->setObjectName(QStringLiteral("demoCount"));
    m_demoCount->setRange(int(session::minSamples), int(session::maxSamples));
    m_demoCount->setValue(int(session::reliableSamples));
    m_demoCount->setSingleStep(1000);
    m_demoCount->setGroupSeparatorShown(true);
    m_demoCount->setSuffix(tr(" IDs"));
    m_analyseDemo = new QPushButton(tr("Analyse demo"), box);
    m_analyseDemo->setObjectName(QStringLiteral("analyseDemo"));
    m_sample = new QPlainTextEdit(box);
    m_sample->setObjectName(QStringLiteral("sampleInput"));
    m_sample->setFont(theme::codeFont());
    m_sample->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_sample->setPlaceholderText(tr("Paste session IDs, one a line: at least 100; ~5,000 for a reliable result; "
                                    "20,000 make it FIPS-sized."));
    m_analysePasted = new QPushButton(tr("Analyse pasted"), box);
    m_analysePasted->setObjectName(QStringLiteral("analysePasted"));
    m_openFile = new QPushButton(tr("Open file…"), box);
    m_openFile->setObjectName(QStringLiteral("analyseFile"));
    auto* useGenerated = new QPushButton(tr("Use generated"), box);
    useGenerated->setToolTip(tr("Copy the generated IDs into the sample"));
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setObjectName(QStringLiteral("cancelAnalysis"));
    m_cancel->setEnabled(false);

    auto* layout = new QVBoxLayout(box);
    auto* demoRow = new QHBoxLayout;
    demoRow->addWidget(m_demo, 1);
    layout->addLayout(demoRow);
    auto* demoRun = new QHBoxLayout;
    demoRun->addWidget(m_demoCount, 1);
    demoRun->addWidget(m_analyseDemo);
    layout->addLayout(demoRun);
    layout->addWidget(m_sample, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_analysePasted);
    buttons->addWidget(m_openFile);
    buttons->addWidget(useGenerated);
    layout->addLayout(buttons);
    layout->addWidget(m_cancel, 0, Qt::AlignRight);

    connect(m_analyseDemo, &QPushButton::clicked, this, [this] {
        analyseDemo(*session::demoKindFromName(m_demo->currentData().toString()), m_demoCount->value());
    });
    connect(m_analysePasted, &QPushButton::clicked, this, [this] { analyseText(m_sample->toPlainText().toUtf8()); });
    connect(m_openFile, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialog::openFileName(this, tr("Open a sample of session IDs"), tr("Text files (*.txt);;All files (*)"));
        if (!path.isEmpty()) {
            analyseFile(path);
        }
    });
    connect(useGenerated, &QPushButton::clicked, this, [this] { m_sample->setPlainText(m_generated->toPlainText()); });
    connect(m_cancel, &QPushButton::clicked, this, &IdLab::cancel);
    return box;
}

QWidget* IdLab::buildResults()
{
    auto* panel = new QWidget(this);
    m_verdict = new QLabel(tr("No sample analysed yet: pick a demo generator, paste IDs or open a file."), panel);
    m_verdict->setObjectName(QStringLiteral("verdictLabel"));
    m_verdict->setWordWrap(true);
    m_verdict->setMargin(8);
    m_verdict->setAutoFillBackground(true);
    m_verdict->setTextFormat(Qt::RichText);
    m_reliability = theme::captionLabel(QString(), panel);
    m_reliability->setObjectName(QStringLiteral("reliabilityLabel"));

    // Effective entropy at each significance level; the combo picks the level the charts use.
    auto* levels = new QGridLayout;
    auto* levelsTitle = new QLabel(tr("<b>Effective entropy</b><br>bits that pass at α ="), panel);
    levels->addWidget(levelsTitle, 0, 0, 2, 1);
    int column = 1;
    for (const double percent : session::significanceLevels) {
        auto* value = new QLabel(QStringLiteral("–"), panel);
        value->setObjectName(QStringLiteral("entropyAt_%1").arg(QString::number(percent, 'g', 6)));
        value->setAlignment(Qt::AlignCenter);
        value->setFrameShape(QFrame::StyledPanel);
        value->setMinimumWidth(62);
        value->setToolTip(
            tr("Bit positions whose every test passes at a significance level of %1").arg(levelText(percent)));
        levels->addWidget(theme::captionLabel(levelText(percent), panel), 0, column, Qt::AlignCenter);
        levels->addWidget(value, 1, column++);
        m_levelValues.push_back(value);
    }
    m_level = new QComboBox(panel);
    m_level->setObjectName(QStringLiteral("levelCombo"));
    for (const double percent : session::significanceLevels) {
        m_level->addItem(tr("α = %1").arg(levelText(percent)), percent);
    }
    m_level->setCurrentIndex(m_level->findData(session::verdictLevelPercent));
    m_level->setToolTip(tr("The significance level the charts below use"));
    levels->setColumnStretch(column, 1);
    levels->addWidget(theme::captionLabel(tr("Charts at"), panel), 0, column + 1);
    levels->addWidget(m_level, 1, column + 1);
    levels->setHorizontalSpacing(8);

    m_structure = new QListWidget(panel);
    m_structure->setObjectName(QStringLiteral("structureList"));
    m_structure->setWordWrap(true);
    m_structure->setIconSize(QSize(16, 16));
    m_structure->setSpacing(2);
    m_tests = new QTableWidget(0, 4, panel);
    m_tests->setObjectName(QStringLiteral("testsTable"));
    m_tests->setHorizontalHeaderLabels({tr("Test"), tr("Failed / tested"), tr("Lowest p"), tr("Criterion")});
    m_tests->horizontalHeader()->setStretchLastSection(true);
    m_tests->verticalHeader()->hide();
    m_tests->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tests->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_notes = new QListWidget(panel);
    m_notes->setObjectName(QStringLiteral("notesList"));
    m_notes->setWordWrap(true);
    m_notes->setSpacing(2);
    m_details = new QTabWidget(panel);
    m_details->setObjectName(QStringLiteral("analysisDetails"));
    m_details->addTab(m_structure, tr("Structure"));
    m_details->addTab(m_tests, tr("Tests"));
    m_details->addTab(m_notes, tr("Notes"));
    m_details->setMaximumHeight(170);
    m_caveat = theme::captionLabel(QString(), panel);
    m_caveat->setObjectName(QStringLiteral("caveatLabel"));

    m_entropyChart = new EntropyChart(panel);
    m_heatMap = new BitHeatMap(panel);
    m_phase = new PhaseSpacePlot(panel);
    auto* charts = new QGridLayout;
    charts->addWidget(m_entropyChart, 0, 0);
    charts->addWidget(m_heatMap, 1, 0);
    charts->addWidget(m_phase, 0, 1, 2, 1);
    charts->setColumnStretch(0, 3);
    charts->setColumnStretch(1, 2);

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_verdict);
    layout->addWidget(m_reliability);
    layout->addLayout(levels);
    layout->addWidget(m_details);
    layout->addWidget(m_caveat);
    layout->addLayout(charts, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this, &IdLab::showCharts);
    return panel;
}

void IdLab::updateEncoding()
{
    const auto encoding = session::IdEncoding(m_encoding->currentData().toInt());
    m_alphabet->setEnabled(encoding == session::IdEncoding::Custom);
    session::IdSpec spec;
    spec.bits = m_bits->value();
    spec.encoding = encoding;
    spec.alphabet = m_alphabet->text().toUtf8();
    if (auto ok = session::validate(spec); !ok) {
        m_entropy->setText(ok.error().message);
        m_entropy->setStyleSheet(QStringLiteral("color: %1").arg(theme::failColor(palette()).name()));
        return;
    }
    m_entropy->setStyleSheet(QString());
    m_entropy->setText(tr("%1 bits of entropy per ID, %2 characters.").arg(spec.bits).arg(session::idLength(spec)));
}

void IdLab::generateSample()
{
    session::IdSpec spec;
    spec.bits = m_bits->value();
    spec.encoding = session::IdEncoding(m_encoding->currentData().toInt());
    spec.alphabet = m_alphabet->text().toUtf8();
    auto ids = session::generateIds(spec, m_count->value());
    if (!ids) {
        m_entropy->setText(ids.error().message);
        return;
    }
    m_generated->setPlainText(QString::fromLatin1(ids->join('\n')));
    emit statusMessage(tr("Generated %n ID(s).", nullptr, int(ids->size())));
}

void IdLab::updateGuess()
{
    const session::GuessEstimate e =
        session::guessTime(m_guessBits->value(), m_guessRate->value(), m_liveSessions->value());
    m_guessResult->setText(tr("<b>%1</b> on average: 2<sup>B</sup> / (2·A·S), the mean of a uniform search for any "
                              "of S live IDs.<br>OWASP's figure, 2<sup>B</sup> / (A·S): %2.")
                               .arg(session::humanDuration(e.meanSeconds), session::humanDuration(e.owaspSeconds)));
    m_guessResult->setToolTip(e.formula);
}

void IdLab::analyseDemo(session::DemoKind kind, int count)
{
    const int index = m_demo->findData(session::demoKindName(kind));
    m_demo->setCurrentIndex(index);
    m_demoCount->setValue(count);
    Job job;
    job.demo = kind;
    job.count = count;
    job.source = tr("demo generator “%1”, %2 IDs").arg(m_demo->currentText(), QLocale().toString(count));
    start(std::move(job));
}

void IdLab::analyseText(const QByteArray& text)
{
    Job job;
    job.text = text;
    job.source = tr("pasted sample");
    start(std::move(job));
}

void IdLab::analyseFile(const QString& path)
{
    Job job;
    job.path = path;
    job.source = tr("file %1").arg(QFileInfo(path).fileName());
    start(std::move(job));
}

void IdLab::cancel()
{
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
}

void IdLab::start(Job job)
{
    cancel();
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_cancelFlag = flag;
    m_running = true;
    m_cancel->setEnabled(true);
    for (QPushButton* b : {m_analyseDemo, m_analysePasted, m_openFile}) {
        b->setEnabled(false);
    }
    emit statusMessage(tr("Analysing the %1…").arg(job.source));
    auto work = [job](QPromise<Outcome>& promise, std::atomic<bool>& cancelled) {
        return analyseJob(job.demo, job.count, job.text, job.path, job.source, promise, cancelled);
    };
    const auto stopped = [this, flag] {
        if (flag == m_cancelFlag) {
            finish(Outcome{std::nullopt, {}, {}, tr("The analysis was cancelled.")});
        }
    };
    runLabJob<Outcome>(
        this, tr("Analysing the %1…").arg(job.source), flag, std::move(work),
        [this, flag](const Outcome& outcome) {
            if (flag == m_cancelFlag) {
                finish(outcome);
            }
        },
        stopped);
}

void IdLab::finish(const Outcome& outcome)
{
    m_running = false;
    m_cancel->setEnabled(false);
    for (QPushButton* b : {m_analyseDemo, m_analysePasted, m_openFile}) {
        b->setEnabled(true);
    }
    if (!outcome.analysis) {
        emit statusMessage(outcome.error);
        if (!m_analysis) {
            setVerdict(tr("No result"), outcome.error, theme::warnColor(palette()));
        }
        emit analysisFinished(false);
        return;
    }
    m_analysis = outcome.analysis;
    m_phase->setPoints(outcome.phase);
    showAnalysis();
    m_reliability->setText(tr("Sample: %1. %2").arg(outcome.source, m_analysis->reliability));
    emit statusMessage(tr("Analysed the %1: %2.").arg(outcome.source, session::verdictName(m_analysis->verdict)));
    emit analysisFinished(true);
}

void IdLab::setVerdict(const QString& headline, const QString& detail, const QColor& color)
{
    QPalette pal = m_verdict->palette();
    QColor background = color;
    background.setAlpha(38);
    pal.setColor(QPalette::Window, background);
    m_verdict->setPalette(pal);
    m_verdict->setText(QStringLiteral("<span style=\"font-size:large; font-weight:bold; color:%1\">%2</span>"
                                      "&nbsp;&nbsp;%3")
                           .arg(color.name(), headline.toHtmlEscaped(), detail.toHtmlEscaped()));
}

void IdLab::showAnalysis()
{
    const session::Analysis& a = *m_analysis;
    const int atVerdict = session::effectiveBitsAt(a, session::verdictLevelPercent);
    QStringList predictable;
    for (const session::StructureFinding& f : a.structure) {
        if (f.predictable && !predictable.contains(f.kind)) {
            predictable << f.kind;
        }
    }
    switch (a.verdict) {
    case session::Verdict::Pass:
        setVerdict(tr("PASS"),
                   tr("%1 of %2 bits behave randomly at α = 1 %; no predictable structure found.")
                       .arg(atVerdict)
                       .arg(a.maxBits),
                   theme::okColor(palette()));
        break;
    case session::Verdict::Fail:
        setVerdict(tr("FAIL"),
                   predictable.isEmpty()
                       ? tr("only %1 bits of effective entropy at α = 1 % (OWASP asks for 64).").arg(atVerdict)
                       : tr("predictable structure: %1; %2 bits of effective entropy at α = 1 %.")
                             .arg(predictable.join(QStringLiteral(", ")))
                             .arg(atVerdict),
                   theme::failColor(palette()));
        break;
    case session::Verdict::Insufficient:
        setVerdict(tr("NOT ENOUGH IDS"), a.reliability, theme::warnColor(palette()));
        break;
    }
    for (std::size_t i = 0; i < m_levelValues.size(); ++i) {
        m_levelValues[i]->setText(a.verdict == session::Verdict::Insufficient ? QStringLiteral("–")
                                                                              : tr("%1 bits").arg(a.effectiveBits[i]));
    }

    m_structure->clear();
    const QIcon warn = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon info = style()->standardIcon(QStyle::SP_MessageBoxInformation);
    for (const session::StructureFinding& f : a.structure) {
        auto* item = new QListWidgetItem(f.predictable ? warn : info, QStringLiteral("%1 — %2").arg(f.kind, f.detail),
                                         m_structure);
        item->setData(Qt::UserRole, f.kind);
        item->setToolTip(f.detail);
    }
    if (a.structure.empty()) {
        new QListWidgetItem(tr("No structure found: no static parts, fields, counters, timestamps or known formats."),
                            m_structure);
    }
    m_details->setTabText(0, tr("Structure (%1)").arg(a.structure.size()));

    m_tests->setRowCount(0);
    for (const session::TestSummary& t : a.tests) {
        const int row = m_tests->rowCount();
        m_tests->insertRow(row);
        const QString counts = t.name == QStringLiteral("compression")
                                   ? tr("ratio %1").arg(t.value, 0, 'f', 3)
                                   : (t.applicable ? tr("%1 / %2").arg(t.failed).arg(t.tested) : tr("n/a"));
        const QStringList cells{t.name, counts, t.applicable ? QString::number(t.minP, 'g', 3) : QString(),
                                t.criterion};
        for (int c = 0; c < cells.size(); ++c) {
            m_tests->setItem(row, c, new QTableWidgetItem(cells[c]));
        }
        if (t.applicable && t.failed > 0) {
            m_tests->item(row, 1)->setForeground(theme::failColor(palette()));
        }
    }
    m_tests->resizeColumnsToContents();

    m_notes->clear();
    for (const QString& note : a.notes) {
        if (note.startsWith(QStringLiteral("Statistics cannot prove"))) {
            m_caveat->setText(tr("Caveat: %1").arg(note));
        } else {
            new QListWidgetItem(note, m_notes);
        }
    }
    m_details->setTabText(2, tr("Notes (%1)").arg(m_notes->count()));
    m_details->setCurrentIndex(0);
    showCharts();
}

double IdLab::level() const
{
    return m_level->currentData().toDouble();
}

void IdLab::setLevel(double percent)
{
    const int index = m_level->findData(percent);
    if (index >= 0) {
        m_level->setCurrentIndex(index);
    }
}

void IdLab::showCharts()
{
    if (!m_analysis || m_analysis->verdict == session::Verdict::Insufficient) {
        m_entropyChart->setPositions({}, {});
        m_heatMap->setRows({}, {});
        return;
    }
    const session::Analysis& a = *m_analysis;
    const double alpha = level() / 100.0;
    const QString text = levelText(level());

    std::vector<EntropyChart::Position> positions;
    for (const session::CharPosition& c : a.chars) {
        positions.push_back({c.position, c.bits, 0, c.isStatic});
    }
    for (const session::BitPosition& b : a.bits) {
        if (b.charPosition >= 0 && b.charPosition < int(positions.size()) && b.minP >= alpha) {
            ++positions[std::size_t(b.charPosition)].effective;
        }
    }
    m_entropyChart->setPositions(std::move(positions), text);

    const auto cell = [alpha](bool applicable, double p) {
        return !applicable ? BitHeatMap::NotApplicable : (p >= alpha ? BitHeatMap::Pass : BitHeatMap::Fail);
    };
    std::vector<BitHeatMap::Row> rows{
        {tr("char count"), {}}, {tr("char transition"), {}}, {tr("monobit"), {}},     {tr("poker"), {}},
        {tr("runs"), {}},       {tr("long run"), {}},        {tr("correlation"), {}}, {tr("all tests"), {}}};
    for (const session::BitPosition& b : a.bits) {
        const session::CharPosition* c = b.charPosition >= 0 && b.charPosition < int(a.chars.size())
                                             ? &a.chars[std::size_t(b.charPosition)]
                                             : nullptr;
        rows[0].cells.push_back(cell(c != nullptr && c->count.applicable, c != nullptr ? c->count.p : 1));
        rows[1].cells.push_back(cell(c != nullptr && c->transition.applicable, c != nullptr ? c->transition.p : 1));
        rows[2].cells.push_back(cell(true, b.monobit.p));
        rows[3].cells.push_back(cell(b.poker.applicable, b.poker.p));
        rows[4].cells.push_back(cell(true, b.runs.p));
        rows[5].cells.push_back(cell(true, b.longRun.p));
        rows[6].cells.push_back(cell(b.index < session::maxCorrelationBits, b.correlationP));
        rows[7].cells.push_back(cell(true, b.minP));
    }
    m_heatMap->setRows(std::move(rows), text);
}

} // namespace tb::ui
