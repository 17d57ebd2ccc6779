import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG document with Foundation's XMLParser and counts its elements by name and class,
/// so tests can check both that the file is well-formed XML and which marks it holds.
final class SVGInspector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }
    private(set) var elements: [Element] = []
    /// False when the parser reported an error.
    private(set) var isWellFormed = false
    private(set) var texts: [String] = []
    private var currentText = ""

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        isWellFormed = parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: name, attributes: attributes))
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText) }
        currentText = ""
    }

    func count(_ name: String, className: String? = nil) -> Int {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }.count
    }

    func all(_ name: String, className: String) -> [Element] {
        elements.filter { $0.name == name && $0.attributes["class"] == className }
    }

    var root: Element? { elements.first }
}
