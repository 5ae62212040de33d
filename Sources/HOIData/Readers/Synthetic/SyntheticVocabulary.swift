/// The synthetic benchmark's verbs, actions, roles and categories.
///
/// An action is a verb done to an object of one category ("hold a cup"), as in
/// Charades. Every category also appears as untouched distractors, so knowing which
/// objects are present is not enough: a model has to find the object the actor is
/// interacting with (a relation) and how (geometry over time).
public enum SyntheticVocabulary {
    /// How the actor interacts with an object; each has its own geometry (`ActionGeometry`).
    public enum Verb: Int, CaseIterable, Sendable {
        case approach, lookAt, touch, hold, carry, putDown, putInto, takeOut, throwAway, catchIt

        var name: String {
            ["approach", "look at", "touch", "hold", "carry", "put down", "put into", "take out of", "throw", "catch"][
                rawValue]
        }

        /// The object's role (entity task) when this verb is done to it.
        var role: Int { rawValue + 1 }
    }

    public static let person = 0
    public static let box = 1
    public static let categories = ["person", "box", "cup", "book", "phone", "ball", "bag"]
    static let cup = 2, book = 3, phone = 4, ball = 5, bag = 6

    /// The 16 action classes of the video task.
    public static let actions: [(verb: Verb, category: Int)] = [
        (.approach, cup), (.approach, bag), (.lookAt, book), (.lookAt, phone), (.touch, cup), (.touch, book),
        (.hold, phone), (.hold, cup), (.carry, bag), (.carry, book), (.putDown, bag), (.putDown, cup),
        (.putInto, ball), (.takeOut, ball), (.throwAway, ball), (.catchIt, ball),
    ]

    public static var actionNames: [String] {
        actions.map { verb, category in
            switch verb {
            case .putInto: return "put a \(categories[category]) into a box"
            case .takeOut: return "take a \(categories[category]) out of a box"
            default: return "\(verb.name) a \(categories[category])"
            }
        }
    }

    /// Pairs of actions that are each other's time reversal: only a model that sees
    /// the order of events can tell them apart.
    public static let orderPairs = [(12, 13), (14, 15)]

    /// Sub-activity of a human (entity task): the verb of its longest action, or idle.
    public static var subactivities: [String] { Verb.allCases.map(\.name) + ["idle"] }
    public static var idle: Int { Verb.allCases.count }

    /// Role of an object (entity task): untouched, the object of a verb, or a container.
    public static var roles: [String] {
        [
            "untouched", "approached", "looked at", "touched", "held", "carried", "put down", "put in", "taken out",
            "thrown", "caught", "container",
        ]
    }
    public static let untouched = 0
    public static var container: Int { roles.count - 1 }
}
