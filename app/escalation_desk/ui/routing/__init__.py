"""The Routing screen: ordered rules, their flow diagram, a route tester and the directory."""
