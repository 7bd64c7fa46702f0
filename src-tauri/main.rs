fn main() {
    tickwarden_app::run()
}
