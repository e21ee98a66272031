#include "KeyTableModel.h"

#include <QFont>
#include <QStringList>

#include "Workspace.h"
#include "keys/KeyIo.h"

namespace tb::ui {

KeyTableModel::KeyTableModel(Workspace* workspace, QObject* parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(m_workspace, &Workspace::aboutToChangeKeys, this, [this] { beginResetModel(); });
    connect(m_workspace, &Workspace::keysChanged, this, [this] {
        m_thumbprints.clear();
        endResetModel();
    });
}

KeyTableModel::~KeyTableModel() = default;

int KeyTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_workspace->keys().size());
}

int KeyTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& entry = m_workspace->keys().at(index.row());
    const keys::Key& key = *entry.key;
    if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name:
            return entry.name;
        case Type:
            return key.typeName();
        case Algorithm: {
            if (!key.meta().alg.isEmpty()) {
                return key.meta().alg;
            }
            QStringList names;
            for (jose::Alg alg : key.fittingAlgs()) {
                names << jose::algName(alg);
            }
            return names.join(QStringLiteral(", "));
        }
        case Size:
            return key.curve().isEmpty() ? tr("%1 bits").arg(key.bits()) : key.curve();
        case Kid:
            return key.meta().kid;
        case Thumbprint: {
            auto it = m_thumbprints.constFind(&key);
            if (it == m_thumbprints.cend()) {
                const auto tp = keys::thumbprint(key);
                it = m_thumbprints.insert(&key, tp ? *tp : QString());
            }
            return *it;
        }
        case Part:
            if (key.type() == keys::KeyType::Oct) {
                return tr("secret");
            }
            return key.hasPrivate() ? tr("private") : tr("public");
        default:
            break;
        }
    }
    if (role == Qt::FontRole && index.column() == Thumbprint) {
        QFont f(QStringLiteral("monospace"));
        f.setStyleHint(QFont::Monospace);
        return f;
    }
    return {};
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Algorithm:
        return tr("Algorithms");
    case Size:
        return tr("Size / curve");
    case Kid:
        return tr("kid");
    case Thumbprint:
        return tr("Thumbprint (RFC 7638)");
    case Part:
        return tr("Part");
    default:
        return {};
    }
}

Qt::ItemFlags KeyTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name) {
        f |= Qt::ItemIsEditable;
    }
    return f;
}

bool KeyTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.column() != Name || value.toString().trimmed().isEmpty()) {
        return false;
    }
    m_workspace->renameKey(index.row(), value.toString());
    return true;
}

} // namespace tb::ui
