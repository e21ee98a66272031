#pragma once

#include <vector>

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>

class QPainter;

namespace tb::ui {

struct SequenceMessage
{
    QString from;
    QString to;
    QString label;
    double latencyMs = 0; // shown beside the arrow when > 0
};

// A sequence diagram of one request: participants as columns (in order of first appearance), one arrow per
// message, a self-arrow for work done in place, and the total latency at the bottom.
class SequenceDiagram final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SequenceDiagram)

public:
    explicit SequenceDiagram(QWidget* parent = nullptr);
    ~SequenceDiagram() override;

    void setMessages(const QString& title, std::vector<SequenceMessage> messages);
    [[nodiscard]] const std::vector<SequenceMessage>& messages() const { return m_messages; }
    [[nodiscard]] QStringList participants() const { return m_participants; }
    [[nodiscard]] QString title() const { return m_title; }
    void setPresentationMode(bool on);

    // The x of a participant's life line and the y of a message's arrow, at the widget's size.
    [[nodiscard]] double participantX(int index, double width) const;
    [[nodiscard]] double messageY(int index) const;

    [[nodiscard]] QImage renderImage(QSize size = {}) const;
    bool exportPng(const QString& path, QSize size = {}) const;
    bool exportSvg(const QString& path, QSize size = {}) const;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paint(QPainter& p, QSize size) const;
    [[nodiscard]] double rowHeight() const { return m_presentation ? 54 : 38; }
    [[nodiscard]] double headHeight() const { return m_presentation ? 78 : 58; }

    QString m_title;
    std::vector<SequenceMessage> m_messages;
    QStringList m_participants;
    bool m_presentation = false;
    double m_basePointSize = 0;
};

} // namespace tb::ui
