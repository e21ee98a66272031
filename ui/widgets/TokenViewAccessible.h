#pragma once

#include <QAccessibleWidget>

namespace tb::ui {

class TokenView;

// The text interface of a TokenView for screen readers. Offsets are QString offsets; every call costs only
// the range it asks for (plain text is indexed once, lazily, by TokenView), never the whole text.
class TokenViewAccessible final : public QAccessibleWidget, public QAccessibleTextInterface
{
public:
    explicit TokenViewAccessible(TokenView* view);

    // QAccessible::installFactory hook.
    static QAccessibleInterface* create(const QString& className, QObject* object);

    void* interface_cast(QAccessible::InterfaceType type) override;
    [[nodiscard]] QAccessible::State state() const override;
    [[nodiscard]] QString text(QAccessible::Text type) const override;

    void selection(int selectionIndex, int* startOffset, int* endOffset) const override;
    [[nodiscard]] int selectionCount() const override;
    void addSelection(int startOffset, int endOffset) override;
    void removeSelection(int selectionIndex) override;
    void setSelection(int selectionIndex, int startOffset, int endOffset) override;
    [[nodiscard]] int cursorPosition() const override;
    void setCursorPosition(int position) override;
    [[nodiscard]] QString text(int startOffset, int endOffset) const override;
    QString textBeforeOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                             int* endOffset) const override;
    QString textAfterOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                            int* endOffset) const override;
    QString textAtOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                         int* endOffset) const override;
    [[nodiscard]] int characterCount() const override;
    [[nodiscard]] QRect characterRect(int offset) const override;
    [[nodiscard]] int offsetAtPoint(const QPoint& point) const override;
    void scrollToSubstring(int startIndex, int endIndex) override;
    QString attributes(int offset, int* startOffset, int* endOffset) const override;

private:
    [[nodiscard]] TokenView* view() const;
    // [start, end) of the word, sentence or paragraph around `offset`, looked for in a window around it.
    void boundaryAround(int offset, QAccessible::TextBoundaryType type, int* start, int* end) const;
};

} // namespace tb::ui
