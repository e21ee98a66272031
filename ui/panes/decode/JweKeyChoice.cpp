#include "JweKeyChoice.h"

#include <QComboBox>
#include <QObject>
#include <QSignalBlocker>

#include "Workspace.h"

namespace tb::ui {

void fillJweKeys(QComboBox* combo, const Workspace& workspace, std::optional<jose::jwe::KeyAlg> alg, bool decrypting)
{
    const QString previous = combo->currentText();
    const QSignalBlocker blocker(combo);
    combo->clear();
    const auto& list = workspace.keys();
    for (int i = 0; i < list.size(); ++i) {
        const keys::Key& key = *list.at(i).key;
        const bool usable = !decrypting || key.type() == keys::KeyType::Oct || key.hasPrivate();
        if (usable && (!alg || jose::jwe::keyFits(*alg, key))) {
            combo->addItem(list.at(i).name, i);
            combo->setItemData(combo->count() - 1, key.describe(), Qt::ToolTipRole);
        }
    }
    if (combo->count() == 0) {
        combo->addItem(alg ? QObject::tr("(no key in the store fits %1: add one in the Keys pane)")
                                 .arg(jose::jwe::keyAlgName(*alg))
                           : QObject::tr("(no key in the store)"),
                       -1);
    }
    const int idx = combo->findText(previous);
    combo->setCurrentIndex(idx < 0 ? 0 : idx);
}

keys::KeyPtr chosenJweKey(const QComboBox* combo, const Workspace& workspace)
{
    const int row = combo->currentData().toInt();
    const auto& list = workspace.keys();
    return row >= 0 && row < list.size() ? list.at(row).key : keys::KeyPtr();
}

bool isPasswordAlg(std::optional<jose::jwe::KeyAlg> alg)
{
    using jose::jwe::KeyAlg;
    return alg &&
           (*alg == KeyAlg::Pbes2Hs256A128Kw || *alg == KeyAlg::Pbes2Hs384A192Kw || *alg == KeyAlg::Pbes2Hs512A256Kw);
}

} // namespace tb::ui
