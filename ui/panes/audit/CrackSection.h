#pragma once

#include <atomic>
#include <memory>

#include <QByteArray>
#include <QFuture>
#include <QWidget>

#include "audit/crack/Crack.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace tb::ui {

class Workspace;

// The weak-secret search of core/audit/crack for HS* tokens: a wordlist file, the built-in list or a mask, plus
// words typed here; rules; threads. Runs off the GUI thread with progress (rate, keyspace, ETA), cancel and resume;
// a found secret goes into the workspace key store as an HMAC key. Other tokens get the reason (core/inspect/Identify).
class CrackSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CrackSection)

public:
    enum Source
    {
        WordlistFile,
        BuiltinList,
        MaskSource,
    };

    explicit CrackSection(Workspace* workspace, QWidget* parent = nullptr);
    ~CrackSection() override; // cancels a running search and waits for it

    void setToken(const QByteArray& token);
    [[nodiscard]] bool isAvailable() const { return m_available; }
    [[nodiscard]] bool isRunning() const;
    void start();  // from the beginning of the source
    void resume(); // from where a cancelled run stopped
    void cancel();
    void waitForFinished(); // spins the event loop until the run is over (screenshots)
    // The built-in list plus `words` (one per line), rules off: what the screenshot shows.
    void useBuiltinWith(const QString& words);

signals:
    void statusMessage(const QString& text);
    void finished(bool found);

private:
    struct Outcome;
    void run(std::uint64_t startUnit);
    void showProgress(const audit::crack::Progress& progress);
    void showOutcome(const std::shared_ptr<Outcome>& outcome);
    void addFoundKey();
    void updateButtons();
    [[nodiscard]] QString sourceDescription() const;

    Workspace* m_workspace = nullptr;
    QByteArray m_token;
    bool m_available = false;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_unavailable = nullptr;
    QComboBox* m_source = nullptr;
    QLineEdit* m_wordlist = nullptr;
    QPushButton* m_browse = nullptr;
    QLineEdit* m_mask = nullptr;
    QPlainTextEdit* m_extraWords = nullptr;
    QCheckBox* m_rules = nullptr;
    QSpinBox* m_threads = nullptr;
    QCheckBox* m_autoAdd = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_keyspace = nullptr;
    QLabel* m_eta = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_addKey = nullptr;

    QFuture<std::shared_ptr<Outcome>> m_future;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    QByteArray m_found; // the secret of the last hit (shown, and offered to the key store)
    bool m_foundAdded = false;
    std::uint64_t m_stoppedAt = 0; // resume point of the last cancelled run
    QString m_stoppedSource;       // what that run searched; resume only continues the same search
    QByteArray m_stoppedToken;
};

} // namespace tb::ui
