// A text field at a comfortable size.
import QtQuick
import QtQuick.Controls

TextField {
    font.pixelSize: 14
    leftPadding: 10
    rightPadding: 10
    topPadding: 8
    bottomPadding: 8
    selectByMouse: true
}
