#pragma once

#include <optional>
#include <utility>

#include <QByteArray>
#include <QWidget>

#include "jose/JsonText.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBlock;
class QStackedWidget;
class QTimer;

namespace tb::ui {

class JsonHighlighter;
class TokenView;

// A JSON text editor over the exact bytes typed: syntax colours, errors underlined and reported with
// line and column, duplicate keys flagged, and whitespace-only "Pretty" / "Compact" buttons
// (jose::prettyJson / compactJson). Child object names start with `name` ("header" -> "headerEditor").
class JsonEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonEditor)

public:
    JsonEditor(const QString& name, const QString& accessibleTitle, QWidget* parent = nullptr);
    ~JsonEditor() override;

    // The exact UTF-8 bytes of the editor text.
    [[nodiscard]] QByteArray bytes() const;
    // Replaces the text without emitting edited(). Texts over largeTextBytes go to a read-only viewer.
    void setBytes(const QByteArray& bytes);
    // The same, with the scan of `bytes` made elsewhere (a worker thread, for a large payload).
    void setBytes(const QByteArray& bytes, jose::JsonScan scan);
    [[nodiscard]] QPlainTextEdit* editor() const { return m_edit; }
    // True while a text over largeTextBytes is shown read-only in the viewer instead of the editor.
    [[nodiscard]] bool isShowingLarge() const { return m_large; }
    [[nodiscard]] const jose::JsonScan& scan() const { return m_scan; }
    // The text scan() was made of (bytes() but for a moment inside an edit): read the scan over these.
    [[nodiscard]] const QByteArray& scannedBytes() const { return m_scannedText; }
    [[nodiscard]] bool isValidObject() const { return !m_scan.error && m_scan.topLevelIsObject; }
    void setReadOnly(bool readOnly);
    static constexpr qsizetype largeTextBytes = 256 * 1024;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    // The user changed the text (typing, pretty/compact, paste).
    void edited();

private:
    void rescan(const QByteArray& text, std::optional<jose::JsonScan> scan = std::nullopt);
    void recolour();
    void reformat(bool pretty);
    void followView();
    void showLarge(const QByteArray& bytes, std::optional<jose::JsonScan> scan);
    void loadIntoEditor();
    void setEditorText(const QByteArray& bytes);
    static void keepLayoutData(const QTextBlock& block);

    // The last text change, from QTextDocument::contentsChange until textChanged handles it.
    struct Edit
    {
        int from = 0;
        int delta = 0;
        int added = 0;
        bool pending = false;
    };

    QPlainTextEdit* m_edit = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_pretty = nullptr;
    QPushButton* m_compact = nullptr;
    JsonHighlighter* m_highlighter = nullptr;
    QTimer* m_windowTimer = nullptr;
    QStackedWidget* m_stack = nullptr;
    TokenView* m_viewer = nullptr;
    QPushButton* m_editHere = nullptr;
    QByteArray m_largeBytes; // the text while it is shown in the viewer
    bool m_large = false;
    jose::JsonScan m_scan;
    QByteArray m_scannedText;
    Edit m_lastEdit;
    std::pair<int, int> m_dirty{0, 0}; // colours to redo outside the edited block
    bool m_settingText = false;
    bool m_rescanning = false;
};

} // namespace tb::ui
